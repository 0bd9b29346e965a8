namespace ImageClassifier.InferenceProtocol;

/// <summary>The failures the inference protocol finds in a request, with their problem slugs in one place.</summary>
internal static class ProtocolFailures
{
    public static ClassificationException Malformed(string detail, Exception? inner = null) =>
        new(FailureKind.BadRequest, "invalid-inference-request", detail, inner);

    public static ClassificationException TooLarge(string detail, Exception? inner = null) =>
        new(FailureKind.PayloadTooLarge, "payload-too-large", detail, inner);

    public static ClassificationException BinaryDataUnsupported() =>
        new(FailureKind.UnsupportedMediaType, "binary-tensor-data-unsupported", "The binary tensor data extension is not supported; send the tensors as JSON.");
}
