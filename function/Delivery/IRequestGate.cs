namespace ImageClassifier.Delivery;

/// <summary>
/// The door every request passes, in two steps: as it arrives, before its body is read, and again
/// once its body is in, for a classification slot. Hosting keeps it, since it knows whether the
/// process is ready, shutting down or full.
/// </summary>
internal interface IRequestGate
{
    /// <summary>
    /// Lets the request start receiving its body, and holds its place among the bodies being
    /// received until the result is disposed. Throws <see cref="Failures.ClassificationException"/>
    /// (a 503 type) when the function cannot take the request now, having counted the refusal.
    /// </summary>
    IDisposable Receive();

    /// <summary>
    /// Admits a request whose body is in, waiting for a turn if need be, and holds its slot until
    /// the result is disposed. Throws <see cref="Failures.ClassificationException"/> (a 503 type)
    /// when every slot and queue place is taken, having counted the refusal.
    /// </summary>
    ValueTask<IDisposable> AdmitAsync(CancellationToken cancellationToken);
}
