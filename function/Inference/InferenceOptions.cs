using System.ComponentModel.DataAnnotations;

namespace ImageClassifier.Inference;

/// <summary>Which model to serve and how ONNX Runtime runs it.</summary>
public sealed class InferenceOptions
{
    /// <summary>Another ONNX classifier instead of the one bundled at publish time.</summary>
    [ConfigurationKeyName("MODEL_PATH")]
    public string? ModelPath { get; set; }

    /// <summary>Labels for <see cref="ModelPath"/>: one class a line, in output order.</summary>
    [ConfigurationKeyName("LABELS_PATH")]
    public string? LabelsPath { get; set; }

    /// <summary>Threads one inference may use; 1 suits a 2-core pod serving parallel requests.</summary>
    [ConfigurationKeyName("ORT_INTRA_OP_THREADS")]
    [Range(1, 64, ErrorMessage = "ORT_INTRA_OP_THREADS must be between 1 and 64.")]
    public int IntraOpThreads { get; set; } = 1;

    /// <summary>Threads for independent graph branches; the zoo classifiers are sequential.</summary>
    [ConfigurationKeyName("ORT_INTER_OP_THREADS")]
    [Range(1, 64, ErrorMessage = "ORT_INTER_OP_THREADS must be between 1 and 64.")]
    public int InterOpThreads { get; set; } = 1;
}
