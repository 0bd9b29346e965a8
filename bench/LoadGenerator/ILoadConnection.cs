namespace ImageClassifier.LoadGenerator;

/// <summary>One loop's way to send the plan's request and wait for its whole answer.</summary>
public interface ILoadConnection : IAsyncDisposable
{
    /// <summary>The answer, or the kind of failure; throws only when the run is cancelled.</summary>
    ValueTask<LoadAnswer> SendAsync(CancellationToken cancellationToken);
}

/// <summary>A status with whether it said when to retry, or an error kind instead.</summary>
public readonly record struct LoadAnswer(int? Status, bool HasRetryAfter, string? Error)
{
    public static LoadAnswer Answered(int status, bool hasRetryAfter) => new(status, hasRetryAfter, null);

    public static LoadAnswer Failed(string error) => new(null, false, error);
}
