namespace ImageClassifier.Inference;

/// <summary>The model's tensors as ONNX declares them; -1 marks a dynamic dimension.</summary>
public sealed record ModelSignature(string InputName, long[] InputShape, string OutputName, long[] OutputShape)
{
    /// <summary>True when the batch dimension is fixed at 1 (several images need several runs).</summary>
    public bool FixedBatchOfOne => InputShape[0] == 1;
}
