namespace ImageClassifier.Observability;

/// <summary>Why a request was refused before being read: the <c>reason</c> label of <c>imageclassifier.requests.shed</c>.</summary>
public static class ShedReason
{
    /// <summary>Admission control found every slot taken.</summary>
    public const string Overloaded = "overloaded";

    /// <summary>SIGTERM arrived: the process is draining.</summary>
    public const string ShuttingDown = "shutting-down";

    /// <summary>The model is not loaded and warmed yet.</summary>
    public const string NotReady = "not-ready";
}
