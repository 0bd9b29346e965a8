namespace ImageClassifier;

/// <summary>
/// A failure that the caller caused or that the upstream caused, as opposed to a bug. Every
/// stage throws this (and only this) for a request it cannot serve; the edge writes it as an
/// RFC 9457 problem whose <c>type</c> ends with <see cref="Problem"/>.
/// </summary>
/// <param name="kind">Which status code family the failure belongs to.</param>
/// <param name="problem">A short kebab-case name of the case, e.g. <c>image-not-found</c>.</param>
/// <param name="detail">A sentence for the caller: no secrets, no exception text.</param>
/// <param name="innerException">What went wrong inside, for the logs only.</param>
public sealed class ClassificationException(FailureKind kind, string problem, string detail, Exception? innerException = null)
    : Exception(detail, innerException)
{
    public FailureKind Kind { get; } = kind;

    public string Problem { get; } = problem;

    /// <summary>Seconds the caller should wait before retrying, for 503/429 answers.</summary>
    public int? RetryAfterSeconds { get; init; }
}
