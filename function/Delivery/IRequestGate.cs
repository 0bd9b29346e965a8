namespace ImageClassifier.Delivery;

/// <summary>
/// The door every request passes before its body is read. Hosting keeps it, since it knows
/// whether the process is ready, shutting down or full.
/// </summary>
internal interface IRequestGate
{
    /// <summary>
    /// Admits the request, waiting for a turn if need be, and holds its place until the result is
    /// disposed. Throws <see cref="Failures.ClassificationException"/> (a 503 type) when the
    /// function cannot take the request now, having counted the refusal.
    /// </summary>
    ValueTask<IDisposable> AdmitAsync(CancellationToken cancellationToken);
}
