using System.Text;
using BenchmarkDotNet.Attributes;
using CloudNative.CloudEvents;
using ImageClassifier.Delivery;
using ImageClassifier.Edge;
using ImageClassifier.Fetching;
using ImageClassifier.Inference;
using ImageClassifier.Memory;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Microbenchmarks;

/// <summary>
/// The edge's CloudEvent work: reading a request (structured mode, and binary mode with a
/// {"url"} body) into a classification request, and writing the reply event (binary and
/// structured mode) into a response.
/// </summary>
[MemoryDiagnoser]
public class CloudEventBenchmarks
{
    private static readonly byte[] StructuredBody = Encoding.UTF8.GetBytes(
        """{"specversion":"1.0","id":"a-1","source":"https://example.com/camera","type":"com.example.image.uploaded","datacontenttype":"application/json","data":{"url":"https://images.example.com/cat.jpg","topK":5}}""");

    private static readonly byte[] UrlBody = Encoding.UTF8.GetBytes("""{"url":"https://images.example.com/cat.jpg","topK":5}""");

    private readonly CloudEventHttpBinding binding = new(new AttributeLimits(Options.Create(new EdgeOptions())));
    private readonly ReplyBuilder replies = new(Options.Create(new FunctionOptions()), TimeProvider.System);
    private readonly ClassificationResult result = new(
        new Uri("https://images.example.com/cat.jpg"),
        new ModelInfo("mobilenetv2-12-int8", "cc028fe6cae7bc11a4ff53cfc9b79c920e8be65ce33a904ec3e2a8f66d77f95f"),
        [.. Enumerable.Range(0, 5).Select(i => new Prediction(285 + i, $"n0212407{i}", "Egyptian cat", 0.5f / (i + 1)))]);

    private RequestReader reader = null!;

    [GlobalSetup]
    public void Setup() => reader = new ServiceCollection()
        .AddLogging()
        .AddSingleton(TimeProvider.System)
        .AddFunction(Configuration)
        .AddEdge(Configuration)
        .AddDelivery(Configuration)
        .AddImageFetching(Configuration)
        .AddMemoryBudget(Configuration)
        .BuildServiceProvider()
        .GetRequiredService<RequestReader>();

    /// <summary>The defaults, over a budget the benchmark process's own resident set says nothing of.</summary>
    private static IConfiguration Configuration { get; } = new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["MEMORY_BUDGET_BYTES"] = "1073741824" })
        .Build();

    [Benchmark(Description = "read: structured mode")]
    public async Task<object?> ReadStructured()
    {
        var context = Request(StructuredBody, "application/cloudevents+json");
        using var incoming = await reader.ReadAsync(context.Request, CancellationToken.None);
        return incoming.Request;
    }

    [Benchmark(Description = "read: binary mode, {url} data")]
    public async Task<object?> ReadBinary()
    {
        var context = Request(UrlBody, "application/json");
        context.Request.Headers["ce-specversion"] = "1.0";
        context.Request.Headers["ce-id"] = "a-1";
        context.Request.Headers["ce-source"] = "https://example.com/camera";
        context.Request.Headers["ce-type"] = "com.example.image.uploaded";
        using var incoming = await reader.ReadAsync(context.Request, CancellationToken.None);
        return incoming.Request;
    }

    [Benchmark(Description = "write: binary mode reply")]
    public async Task<long> WriteBinary()
    {
        var context = Response();
        await binding.WriteAsync(replies.Build(result), ContentMode.Binary, context.Response, CancellationToken.None);
        return context.Response.Body.Length;
    }

    [Benchmark(Description = "write: structured mode reply")]
    public async Task<long> WriteStructured()
    {
        var context = Response();
        await binding.WriteAsync(replies.Build(result), ContentMode.Structured, context.Response, CancellationToken.None);
        return context.Response.Body.Length;
    }

    private static DefaultHttpContext Request(byte[] body, string contentType)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = contentType;
        context.Request.ContentLength = body.Length;
        context.Request.Body = new MemoryStream(body, writable: false);
        return context;
    }

    private static DefaultHttpContext Response()
    {
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();
        return context;
    }
}
