namespace ImageClassifier.Inference;

/// <summary>One class of the model's output with its probability.</summary>
/// <param name="Index">The class index in the model's output.</param>
/// <param name="Synset">The label file's id, e.g. <c>n02124075</c> (empty when the labels have none).</param>
/// <param name="Label">The human-readable name, e.g. <c>Egyptian cat</c>.</param>
/// <param name="Probability">The softmax of the logits, or the model's own probability when its output is probabilities; in [0, 1].</param>
public sealed record Prediction(int Index, string Synset, string Label, float Probability);
