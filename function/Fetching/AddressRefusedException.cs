namespace ImageClassifier.Fetching;

/// <summary>
/// Thrown by the <see cref="GuardedConnector"/> when a host resolves to an address that may not
/// be reached. SocketsHttpHandler wraps it in an <see cref="HttpRequestException"/>; finding it
/// among the inner exceptions is how the fetcher tells a refusal (never retried) from a
/// connection failure (retried).
/// </summary>
internal sealed class AddressRefusedException(string message) : Exception(message)
{
    public static bool IsCauseOf(Exception exception)
    {
        for (Exception? cause = exception; cause is not null; cause = cause.InnerException)
        {
            if (cause is AddressRefusedException)
            {
                return true;
            }
        }

        return false;
    }
}
