using ImageClassifier.Imaging;

namespace ImageClassifier.Inference;

/// <summary>Tensor → predictions through the process's one model session.</summary>
public interface IClassifier
{
    /// <summary>True once the model is loaded and warmed; until then every other member throws
    /// <see cref="Failures.ClassificationException"/> (<see cref="Failures.Problems.NotReady"/>).</summary>
    bool IsReady { get; }

    /// <summary>The model answering, as reported in every reply.</summary>
    ModelInfo Model { get; }

    /// <summary>How images must be turned into this model's input tensor.</summary>
    PreprocessingSpec Preprocessing { get; }

    /// <summary>How many classes the model has (the largest top-k).</summary>
    int ClassCount { get; }

    /// <summary>The input and output tensors, named and shaped as in the ONNX file.</summary>
    ModelSignature Signature { get; }

    /// <summary>
    /// The raw logits (batch × classes) of <paramref name="batchSize"/> images' NCHW tensors laid
    /// end to end, for callers that speak tensors (the Open Inference Protocol).
    /// </summary>
    Task<float[]> InferLogitsAsync(ReadOnlyMemory<float> tensors, int batchSize, CancellationToken cancellationToken);

    /// <summary>Runs one image's NCHW tensor (length <see cref="PreprocessingSpec.TensorLength"/>).</summary>
    Task<IReadOnlyList<Prediction>> ClassifyAsync(ReadOnlyMemory<float> tensor, int topK, CancellationToken cancellationToken);
}
