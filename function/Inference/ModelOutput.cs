namespace ImageClassifier.Inference;

/// <summary>What a model's output is, as its preprocessing states or the load check finds.</summary>
public enum ModelOutput
{
    /// <summary>Scores that the function turns into probabilities with a softmax.</summary>
    Logits,

    /// <summary>Probabilities already (the graph ends in a softmax, or independent sigmoids): served as they are.</summary>
    Probabilities,
}
