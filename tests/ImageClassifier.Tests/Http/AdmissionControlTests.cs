using System.Globalization;
using System.Net;
using System.Net.Mime;
using System.Text;
using System.Text.Json;
using ImageClassifier.Fetching;
using ImageClassifier.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ImageClassifier.Tests.Http;

/// <summary>
/// The concurrency limit on POST / with one slot, driven by a fetcher that holds requests until
/// released: no timing, only the order of events.
/// </summary>
public sealed class AdmissionControlTests : IDisposable
{
    private readonly FunctionAppFactory functionFactory = new();

    private readonly AdmissionGatedFetcher fetcher = new();

    private WebApplicationFactory<Program> factory = null!;

    private HttpClient client = null!;

    public void Dispose()
    {
        fetcher.Release();
        client.Dispose();
        factory.Dispose();
        functionFactory.Dispose();
    }

    /// <summary>The function with fakes, one request slot, <paramref name="queueLimit"/> queue places, and a fetcher that holds requests.</summary>
    private void Start(int queueLimit)
    {
        factory = functionFactory.WithWebHostBuilder(builder =>
        {
            builder.UseSetting("MAX_CONCURRENT_REQUESTS", "1");
            builder.UseSetting("REQUEST_QUEUE_LIMIT", queueLimit.ToString(CultureInfo.InvariantCulture));
            builder.ConfigureTestServices(services => services.RemoveAll<IImageFetcher>().AddSingleton<IImageFetcher>(fetcher));
        });
        client = factory.CreateClient();
    }

    [Fact]
    public async Task Beyond_the_slots_and_the_queue_a_request_is_refused_at_once_with_503_and_Retry_After()
    {
        Start(queueLimit: 0);
        var first = client.PostAsync("/", UrlBody("https://example.com/1.jpg"));
        await EnteredAsync("https://example.com/1.jpg");

        using var refused = await client.PostAsync("/", UrlBody("https://example.com/2.jpg"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
        Assert.Equal(ProblemMapping.TypeBase + "overloaded", problem.RootElement.GetProperty("type").GetString());
        Assert.Equal(503, problem.RootElement.GetProperty("status").GetInt32());

        fetcher.Release();
        using var firstResponse = await first;
        Assert.Equal(HttpStatusCode.OK, firstResponse.StatusCode);
    }

    [Fact]
    public async Task Health_endpoints_answer_while_every_slot_is_taken()
    {
        Start(queueLimit: 0);
        var first = client.PostAsync("/", UrlBody("https://example.com/1.jpg"));
        await EnteredAsync("https://example.com/1.jpg");

        using var live = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        fetcher.Release();
        using var firstResponse = await first;
        Assert.Equal(HttpStatusCode.OK, firstResponse.StatusCode);
    }

    [Fact]
    public async Task A_cancelled_request_gives_its_slot_to_the_queued_one()
    {
        Start(queueLimit: 1);
        using var cancel = new CancellationTokenSource();
        var first = client.PostAsync("/", UrlBody("https://example.com/1.jpg"), cancel.Token);
        await EnteredAsync("https://example.com/1.jpg");
        var queued = client.PostAsync("/", UrlBody("https://example.com/2.jpg"));

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        await EnteredAsync("https://example.com/2.jpg");
        fetcher.Release();
        using var queuedResponse = await queued;
        Assert.Equal(HttpStatusCode.OK, queuedResponse.StatusCode);
    }

    private static StringContent UrlBody(string url) =>
        new($$"""{"url": "{{url}}"}""", Encoding.UTF8, MediaTypeNames.Application.Json);

    private async Task EnteredAsync(string url)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Assert.Equal(new Uri(url), await fetcher.Entered.Reader.ReadAsync(timeout.Token));
    }
}
