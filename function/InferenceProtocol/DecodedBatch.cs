namespace ImageClassifier.InferenceProtocol;

/// <summary>A request's images as the model takes them: <see cref="Count"/> NCHW tensors laid end to end.</summary>
internal sealed record DecodedBatch(float[] Tensors, int Count);
