namespace ImageClassifier.Delivery;

/// <summary>How a request arrived, which decides how its reply is written and how it is counted.</summary>
internal enum RequestForm
{
    /// <summary>A CloudEvent in binary mode: attributes in <c>ce-</c> headers, the data as the body.</summary>
    BinaryCloudEvent,

    /// <summary>A CloudEvent in structured mode: <c>application/cloudevents+json</c>.</summary>
    StructuredCloudEvent,

    /// <summary><c>application/json</c> without <c>ce-</c> headers.</summary>
    PlainJson,

    /// <summary>An <c>image/*</c> body without <c>ce-</c> headers.</summary>
    RawImage,

    /// <summary>A CloudEvents batch, <c>application/cloudevents-batch+json</c>, answered with a batch.</summary>
    Batch,

    /// <summary>An Open Inference Protocol (KServe v2) infer request.</summary>
    Inference,
}

/// <summary>A form's name in metrics and logs.</summary>
internal static class RequestFormNames
{
    /// <summary>For a request whose form could not be recognised.</summary>
    public const string Unknown = "unknown";

    public static string Of(RequestForm? form) => form switch
    {
        RequestForm.BinaryCloudEvent => "binary",
        RequestForm.StructuredCloudEvent => "structured",
        RequestForm.PlainJson => "json",
        RequestForm.RawImage => "image",
        RequestForm.Batch => "batch",
        RequestForm.Inference => "inference",
        _ => Unknown,
    };
}
