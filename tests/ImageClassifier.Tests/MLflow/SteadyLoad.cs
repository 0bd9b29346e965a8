using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ImageClassifier.Imaging;

namespace ImageClassifier.Tests.MLflow;

/// <summary>
/// Steady concurrent traffic on a running function while its model is swapped: workers sending the
/// built-in image as binary-mode CloudEvents back to back, each answer kept with when its request
/// began and ended and which model answered it, and /readyz asked all the while.
/// </summary>
public sealed class SteadyLoad : IAsyncDisposable
{
    private static readonly byte[] Image = WarmUpImage.Jpeg();

    private readonly HttpClient _client;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<Answer> _answers = new();
    private readonly ConcurrentQueue<HttpStatusCode> _readiness = new();
    private readonly Task[] _tasks;
    private int _nextId;

    public SteadyLoad(HttpClient client, int workers)
    {
        _client = client;
        _tasks = [.. Enumerable.Range(0, workers).Select(_ => Task.Run(SendAsync)), Task.Run(AskReadinessAsync)];
    }

    public IReadOnlyList<Answer> Answers => [.. _answers];

    /// <summary>Every status /readyz answered while the load ran.</summary>
    public IReadOnlyList<HttpStatusCode> Readiness => [.. _readiness];

    /// <summary>Waits until an answer that ended after <paramref name="since"/> satisfies <paramref name="condition"/>, and returns the first.</summary>
    public async Task<Answer> WaitForAnswerAsync(long since, Func<Answer, bool> condition, string failure)
    {
        Answer? found = null;
        await Harness.Eventually.WaitAsync(
            () => (found = Answers.Where(answer => answer.Ended > since && condition(answer)).MinBy(answer => answer.Ended)) is not null, failure);
        return found!;
    }

    /// <summary>Waits until <paramref name="count"/> more answers have come.</summary>
    public Task WaitForMoreAsync(int count)
    {
        var target = _answers.Count + count;
        return Harness.Eventually.WaitAsync(() => _answers.Count >= target, $"fewer than {count} more answers came");
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_tasks);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        _stop.Dispose();
    }

    private async Task SendAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var id = "load-" + Interlocked.Increment(ref _nextId);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new ByteArrayContent(Image) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(WarmUpImage.ContentType);
            request.Headers.Add("ce-specversion", "1.0");
            request.Headers.Add("ce-id", id);
            request.Headers.Add("ce-source", "/steady-load");
            request.Headers.Add("ce-type", "dev.knative.samples.image.classify");
            var started = Stopwatch.GetTimestamp();
            using var response = await _client.SendAsync(request, CancellationToken.None);
            var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
            var ended = Stopwatch.GetTimestamp();
            string? version = null;
            string? sha256 = null;
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var model = JsonDocument.Parse(body).RootElement.GetProperty("model");
                version = model.TryGetProperty("version", out var v) ? v.GetString() : null;
                sha256 = model.GetProperty("sha256").GetString();
            }

            _answers.Enqueue(new Answer(id, started, ended, response.StatusCode, version, sha256, body));
        }
    }

    private async Task AskReadinessAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            using var ready = await _client.GetAsync(new Uri("/readyz", UriKind.Relative), CancellationToken.None);
            _readiness.Enqueue(ready.StatusCode);
            try
            {
                await Task.Delay(20, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One request's answer: its event id, when it began and ended, its status and the model that answered.</summary>
    public sealed record Answer(string EventId, long Started, long Ended, HttpStatusCode Status, string? Version, string? Sha256, string Body);
}
