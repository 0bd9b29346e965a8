namespace ImageClassifier.LoadGenerator;

/// <summary>
/// The default client: one HttpClient for the whole run, with exactly as many pooled connections
/// as loops, as a .NET caller would send.
/// </summary>
public sealed class HttpClientConnection(HttpClient client, LoadPlan plan) : ILoadConnection
{
    public static HttpClient CreateClient(int concurrency, TimeSpan timeout) =>
        new(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = concurrency,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            // A redirect could point away from 127.0.0.1; the tool never follows one.
            AllowAutoRedirect = false,
            UseProxy = false,
        })
        {
            Timeout = timeout,
        };

    public async ValueTask<LoadAnswer> SendAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var request = plan.CreateRequest();
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            return LoadAnswer.Answered((int)response.StatusCode, response.Headers.RetryAfter is not null);
        }
        catch (HttpRequestException e)
        {
            return LoadAnswer.Failed(e.HttpRequestError.ToString());
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return LoadAnswer.Failed("Timeout");
        }
    }

    // The client is the run's, not this loop's.
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
