using System.Globalization;
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
/// The edge's reading path on one request (or each event of a batch): recognise the form, read the body within its limit
/// and the memory budget, bind the CloudEvent (binary or structured mode) within the attribute
/// and envelope limits, parse the JSON that names the image and check its URL. A failure the caller caused is a <see cref="ClassificationException"/>;
/// anything else escaping is a bug, and the fuzzer's crash.
/// </summary>
internal sealed class EventReadingTarget
{
    private readonly RequestReader reader;

    private readonly UrlPolicy urlPolicy;

    /// <summary>
    /// Small enough that a fuzzed body can outgrow it, so the budget's refusal (413
    /// too-large-for-memory) is a path the fuzzer reaches; every seed fits.
    /// </summary>
    public const long FuzzingMemoryBudgetBytes = 1024 * 1024;

    /// <summary>The edge's services as the function registers them, over a memory budget of <see cref="FuzzingMemoryBudgetBytes"/>.</summary>
    public EventReadingTarget()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["MEMORY_BUDGET_BYTES"] = FuzzingMemoryBudgetBytes.ToString(CultureInfo.InvariantCulture) })
            .Build();
        var services = ReadingServices.Build(configuration, TimeProvider.System);
        reader = services.GetRequiredService<RequestReader>();
        Budget = services.GetRequiredService<MemoryBudget>();
        urlPolicy = new UrlPolicy(services.GetRequiredService<IOptions<FetchOptions>>().Value, services.GetRequiredService<FetchMetrics>());
    }

    /// <summary>What the reading is paid from: the charge <see cref="MemoryOracle"/> compares with.</summary>
    public MemoryBudget Budget { get; }

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
            if (RequestReader.Recognise(context.Request) == RequestForm.Batch)
            {
                var (entries, body) = await reader.ReadBatchAsync(context.Request, cancellationToken);
                using (body)
                {
                    // Each entry is judged on its own, as the function answers it: the first refusal is the outcome.
                    return entries.Select(entry => entry.Failure?.Type.Slug ?? Judge(entry.Incoming!)).FirstOrDefault(outcome => outcome != "accepted") ?? "accepted";
                }
            }

            using var incoming = await reader.ReadAsync(context.Request, cancellationToken);
            return Judge(incoming);
        }
        catch (ClassificationException failure)
        {
            return failure.Type.Slug;
        }
    }

    private string Judge(IncomingRequest incoming)
    {
        if (incoming.IsOwnReply)
        {
            return "own-reply";
        }

        try
        {
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
