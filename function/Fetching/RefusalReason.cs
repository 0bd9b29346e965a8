namespace ImageClassifier.Fetching;

/// <summary>Why an image URL was refused: the <c>reason</c> label of <c>imageclassifier.fetch.refused</c>.</summary>
public static class RefusalReason
{
    public const string Scheme = "scheme";

    public const string Credentials = "credentials";

    public const string Host = "host";

    /// <summary>The host resolved to an address that is not public (the network guard).</summary>
    public const string Address = "address";

    /// <summary>Anything else the URL policy refuses, such as a port outside FETCH_ALLOWED_PORTS.</summary>
    public const string Other = "other";
}
