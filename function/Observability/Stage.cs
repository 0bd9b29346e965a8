namespace ImageClassifier.Observability;

/// <summary>The timed stages of one request.</summary>
public enum Stage
{
    /// <summary>URL → bytes, retries included.</summary>
    Fetch,

    /// <summary>Bytes → decoded image → the model's input tensor.</summary>
    Preprocess,

    /// <summary>Tensor → predictions.</summary>
    Inference,

    /// <summary>The whole request, from having read it to having its reply.</summary>
    Total,
}

/// <summary>A stage's name as the <c>stage</c> label, the span name and the log field give it.</summary>
public static class StageNames
{
    public static string Of(Stage stage) => stage switch
    {
        Stage.Fetch => "fetch",
        Stage.Preprocess => "preprocess",
        Stage.Inference => "inference",
        Stage.Total => "total",
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, "Unknown stage."),
    };
}
