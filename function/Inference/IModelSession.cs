using ImageClassifier.Imaging;

namespace ImageClassifier.Inference;

/// <summary>One loaded model and what a request needs of it: how to feed it, its tensors, and runs.</summary>
public interface IModelSession
{
    /// <summary>The model, as reported in every reply.</summary>
    ModelInfo Model { get; }

    /// <summary>How images must be turned into this model's input tensor.</summary>
    PreprocessingSpec Preprocessing { get; }

    /// <summary>How many classes the model has (the largest top-k).</summary>
    int ClassCount { get; }

    /// <summary>The input and output tensors, named and shaped as in the ONNX file.</summary>
    ModelSignature Signature { get; }

    /// <summary>
    /// The raw logits (batch × classes) of <paramref name="batchSize"/> images' tensors (in <see cref="Preprocessing"/>'s layout) laid
    /// end to end, for callers that speak tensors (the Open Inference Protocol).
    /// </summary>
    Task<float[]> InferLogitsAsync(ReadOnlyMemory<float> tensors, int batchSize, CancellationToken cancellationToken);

    /// <summary>Runs one image's tensor (length <see cref="PreprocessingSpec.TensorLength"/>).</summary>
    Task<IReadOnlyList<Prediction>> ClassifyAsync(ReadOnlyMemory<float> tensor, int topK, CancellationToken cancellationToken);
}
