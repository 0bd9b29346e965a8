namespace ImageClassifier.LoadGenerator;

/// <summary>One HttpClient for the whole run: exactly as many pooled connections as loops.</summary>
public static class LoadClient
{
    public static HttpClient Create(int concurrency, TimeSpan timeout) =>
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
}
