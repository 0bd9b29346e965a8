namespace ImageClassifier.InferenceProtocol;

/// <summary>The protocol's element types this server speaks.</summary>
internal static class TensorDatatypes
{
    public const string Fp32 = "FP32";

    /// <summary>Byte strings; in JSON each element is a base64 string.</summary>
    public const string Bytes = "BYTES";
}
