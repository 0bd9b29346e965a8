using ImageClassifier.Delivery;
using ImageClassifier.Edge;
using ImageClassifier.Failures;
using ImageClassifier.Fetching;
using ImageClassifier.Memory;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Fuzzing;

/// <summary>
/// The edge's reading path on one request: recognise the form, read the body within its limit,
/// bind the CloudEvent (binary or structured mode), parse the JSON that names the image and
/// check its URL. A failure the caller caused is a <see cref="ClassificationException"/>;
/// anything else escaping is a bug, and the fuzzer's crash.
/// </summary>
internal sealed class EventReadingTarget
{
    private readonly RequestReader reader;

    private readonly UrlPolicy urlPolicy;

    /// <summary>The edge's services as the function registers them, over a memory budget of 1 GiB.</summary>
    public EventReadingTarget()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["MEMORY_BUDGET_BYTES"] = "1073741824" })
            .Build();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddFunction(configuration)
            .AddEdge(configuration)
            .AddDelivery(configuration)
            .AddImageFetching(configuration)
            .AddMemoryBudget(configuration)
            .BuildServiceProvider();
        reader = services.GetRequiredService<RequestReader>();
        urlPolicy = new UrlPolicy(services.GetRequiredService<IOptions<FetchOptions>>().Value, services.GetRequiredService<FetchMetrics>());
    }

    /// <summary>Returns "accepted", "own-reply" or the problem slug the edge would answer with.</summary>
    public async Task<string> RunAsync(FuzzInput input, CancellationToken cancellationToken)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Post;
        foreach (var (name, value) in input.Headers)
        {
            context.Request.Headers.Append(name, value);
        }

        // Kestrel sets these itself from the framing: a fuzzed Content-Length would be a request it refuses.
        context.Request.ContentType = input.ContentType;
        context.Request.ContentLength = input.Body.Length;
        context.Request.Body = new MemoryStream(input.Body, writable: false);
        try
        {
            using var incoming = await reader.ReadAsync(context.Request, cancellationToken);
            if (incoming.IsOwnReply)
            {
                return "own-reply";
            }

            if (incoming.Request.Url is { } url)
            {
                urlPolicy.Check(url);
            }

            return "accepted";
        }
        catch (ClassificationException failure)
        {
            return failure.Type.Slug;
        }
    }
}
