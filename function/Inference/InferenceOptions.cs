using System.ComponentModel.DataAnnotations;
using ImageClassifier.Settings;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;

namespace ImageClassifier.Inference;

/// <summary>
/// Which model to serve and how ONNX Runtime runs it. The defaults were chosen by measurement
/// on a 2-core machine serving parallel requests (bench/README.md): one thread per run, no
/// spinning, and as many runs at once as there are cores.
/// </summary>
public sealed class InferenceOptions
{
    /// <summary>One thread per run: requests already run in parallel, one per core.</summary>
    public const int DefaultThreadsPerRun = 1;

    public const GraphOptimizationLevel DefaultGraphOptimization = GraphOptimizationLevel.ORT_ENABLE_ALL;

    /// <summary>Under /tmp, the one writable place of a read-only container.</summary>
    public static string DefaultOptimizedModelDirectory { get; } = Path.Combine(Path.GetTempPath(), "image-classifier-onnx");

    /// <summary>A minute: a moved alias is served within about a minute, at one registry call a minute.</summary>
    public const int DefaultModelRefreshSeconds = 60;

    /// <summary>
    /// 128 MiB for ONNX Runtime's tensors, both sessions together during a swap: the zoo's
    /// classifiers at the largest batch, twice at once, need a small part of it, and with the
    /// process's own ~130 MiB it leaves the 512 MiB pod most of its budget for requests.
    /// </summary>
    public const long DefaultArenaMaxBytes = 128L * 1024 * 1024;

    /// <summary>As many runs at once as there are cores.</summary>
    public static int DefaultMaxConcurrentRuns => Environment.ProcessorCount;

    /// <summary>Another ONNX classifier instead of the one bundled at publish time.</summary>
    [ConfigurationKeyName("MODEL_PATH")]
    public string? ModelPath { get; set; }

    /// <summary>Labels for <see cref="ModelPath"/>: one class a line, in output order.</summary>
    [ConfigurationKeyName("LABELS_PATH")]
    public string? LabelsPath { get; set; }

    /// <summary>Threads one inference may use; 1 suits a small pod serving parallel requests.</summary>
    [ConfigurationKeyName("ORT_INTRA_OP_THREADS")]
    [SettingRange(1, 64, ErrorMessage = "ORT_INTRA_OP_THREADS must be between 1 and 64.")]
    public int IntraOpThreads { get; set; } = DefaultThreadsPerRun;

    /// <summary>Threads for independent graph branches; the zoo classifiers are sequential.</summary>
    [ConfigurationKeyName("ORT_INTER_OP_THREADS")]
    [SettingRange(1, 64, ErrorMessage = "ORT_INTER_OP_THREADS must be between 1 and 64.")]
    public int InterOpThreads { get; set; } = DefaultThreadsPerRun;

    /// <summary>
    /// Whether idle intra-op threads spin waiting for work. Spinning buys a little latency with
    /// CPU that parallel requests need; it only matters with more than one intra-op thread.
    /// </summary>
    [ConfigurationKeyName("ORT_ALLOW_SPINNING")]
    public bool AllowSpinning { get; set; }

    /// <summary>How much ONNX Runtime rewrites the graph when it loads the model (ORT_DISABLE_ALL … ORT_ENABLE_ALL).</summary>
    [ConfigurationKeyName("ORT_GRAPH_OPTIMIZATION")]
    public GraphOptimizationLevel GraphOptimization { get; set; } = DefaultGraphOptimization;

    /// <summary>
    /// Where the optimised graph is kept, keyed by the model's SHA-256, the ONNX Runtime version
    /// and the optimisation level, so a restart in the same container skips the optimisation.
    /// Empty: no cache.
    /// </summary>
    [ConfigurationKeyName("ORT_OPTIMIZED_MODEL_DIR")]
    public string? OptimizedModelDirectory { get; set; } = DefaultOptimizedModelDirectory;

    /// <summary>
    /// Runs of the model at once; a request beyond them waits (asynchronously) for a slot, so
    /// inference threads never outnumber the cores.
    /// </summary>
    [ConfigurationKeyName("ORT_MAX_CONCURRENT_RUNS")]
    [SettingRange(1, 1024, ErrorMessage = "ORT_MAX_CONCURRENT_RUNS must be between 1 and 1024.")]
    public int MaxConcurrentRuns { get; set; } = DefaultMaxConcurrentRuns;

    /// <summary>
    /// The most memory ONNX Runtime's CPU arena, shared by every session of the process, may hold:
    /// a model whose initializers or runs need more fails to load or to pass its check, instead of
    /// taking the pod. The process's first session fixes it (ONNX Runtime has one environment).
    /// </summary>
    [ConfigurationKeyName("ORT_ARENA_MAX_BYTES")]
    [SettingRange(16 * 1024 * 1024, uint.MaxValue, ErrorMessage = "ORT_ARENA_MAX_BYTES must be between 16777216 and 4294967295.")]
    public long ArenaMaxBytes { get; set; } = DefaultArenaMaxBytes;

    /// <summary>
    /// How often a registry alias (<c>models:/name@alias</c>) is asked which version it names; a
    /// new version is loaded beside the one serving and swapped in. 0: the alias is resolved once.
    /// </summary>
    [ConfigurationKeyName("MODEL_REFRESH_SECONDS")]
    [SettingRange(0, 86400, ErrorMessage = "MODEL_REFRESH_SECONDS must be between 0 (off) and 86400.")]
    public int ModelRefreshSeconds { get; set; } = DefaultModelRefreshSeconds;

    public TimeSpan ModelRefreshInterval => TimeSpan.FromSeconds(ModelRefreshSeconds);
}

/// <summary>Checks <see cref="InferenceOptions"/>: generated at compile time from its annotations, so the native publish needs no reflection.</summary>
[OptionsValidator]
internal sealed partial class InferenceOptionsValidator : IValidateOptions<InferenceOptions>;
