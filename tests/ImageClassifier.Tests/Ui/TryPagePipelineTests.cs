using ImageClassifier.Ui;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ImageClassifier.Tests.Ui;

/// <summary>
/// What the page costs the requests it does not serve: the pipeline as UseTryPage builds it,
/// before a terminal that stands for the rest of the function.
/// </summary>
public sealed class TryPagePipelineTests
{
    private const int Requests = 1000;

    [Theory]
    [InlineData("POST", "/")]
    [InlineData("POST", "/ui/app.js")]
    [InlineData("PUT", "/")]
    [InlineData("HEAD", "/")]
    public void Another_method_passes_the_page_without_allocating_or_reading_a_file(string method, string path)
    {
        var (pipeline, assets, reachedTerminal) = Build(enabled: true);
        var context = Request(method, path);

        var allocated = AllocatedBy(pipeline, context);

        // Less than a byte a request: nothing per request (the smallest object is 24 bytes), only
        // what the runtime may allocate once, such as when it recompiles a hot method.
        Assert.True(allocated < Requests, $"{allocated} bytes for {Requests} requests");
        Assert.Equal(Requests + 1, reachedTerminal());
        Assert.False(assets.AnyLoaded);
    }

    [Fact]
    public void A_browsers_GET_is_served_by_the_page_and_never_reaches_the_function()
    {
        var (pipeline, assets, reachedTerminal) = Build(enabled: true);
        var context = Request("GET", "/");
        context.Response.Body = new MemoryStream();

        var allocated = AllocatedBy(pipeline, context);

        Assert.True(allocated > 0);
        Assert.Equal(0, reachedTerminal());
        Assert.True(assets.AnyLoaded);
        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
    }

    [Fact]
    public void With_UI_ENABLED_false_a_browsers_GET_goes_to_the_function()
    {
        var (pipeline, assets, reachedTerminal) = Build(enabled: false);

        Assert.True(pipeline(Request("GET", "/")).IsCompletedSuccessfully);

        Assert.Equal(1, reachedTerminal());
        Assert.False(assets.AnyLoaded);
    }

    private static (RequestDelegate Pipeline, TryPageAssets Assets, Func<int> ReachedTerminal) Build(bool enabled)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["UI_ENABLED"] = enabled ? "true" : "false" })
            .Build();
        var services = new ServiceCollection().AddTryPage(configuration).BuildServiceProvider();
        var reached = 0;
        var pipeline = new ApplicationBuilder(services).UseTryPage();
        pipeline.Run(_ =>
        {
            reached++;
            return Task.CompletedTask;
        });
        return (pipeline.Build(), services.GetRequiredService<TryPageAssets>(), () => reached);
    }

    private static DefaultHttpContext Request(string method, string path)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        context.Request.Headers.Accept = TryPageHttpTests.BrowserAccept;
        return context;
    }

    /// <summary>Bytes allocated on this thread by <see cref="Requests"/> passes, after one to warm up.</summary>
    private static long AllocatedBy(RequestDelegate pipeline, HttpContext context)
    {
        Assert.True(pipeline(context).IsCompletedSuccessfully);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Requests; i++)
        {
            context.Response.Body.Position = 0;
            Assert.True(pipeline(context).IsCompletedSuccessfully);
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
