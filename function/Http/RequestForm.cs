namespace ImageClassifier.Http;

/// <summary>How a request arrived, which decides how its reply is written.</summary>
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
}
