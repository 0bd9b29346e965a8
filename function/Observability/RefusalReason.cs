namespace ImageClassifier.Observability;

/// <summary>
/// Why an image URL was refused: the <c>reason</c> label of <c>imageclassifier.fetch.refused</c>.
/// Read from the URL itself, in the order the fetcher's URL policy checks it.
/// </summary>
public static class RefusalReason
{
    public const string Scheme = "scheme";

    public const string Credentials = "credentials";

    public const string Host = "host";

    /// <summary>The host resolved to an address that is not public (the SSRF guard).</summary>
    public const string Address = "address";

    /// <summary>Anything else the policy refuses, such as a port outside FETCH_ALLOWED_PORTS.</summary>
    public const string Other = "other";

    /// <summary>The reason a URL the policy refused was refused for.</summary>
    public static string Of(Uri url) => url switch
    {
        { IsAbsoluteUri: true, Scheme: not ("http" or "https") } => Scheme,
        { IsAbsoluteUri: true, UserInfo.Length: > 0 } => Credentials,
        { IsAbsoluteUri: true, IdnHost.Length: 0 } => Host,
        _ => Other,
    };
}
