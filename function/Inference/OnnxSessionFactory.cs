using Microsoft.ML.OnnxRuntime;
using OrtSessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;

namespace ImageClassifier.Inference;

/// <summary>
/// Opens the ONNX Runtime session with the server settings of <see cref="InferenceOptions"/>,
/// through the optimised-model cache: the first start optimises the graph and keeps the result
/// beside the others; a later start with the same model, runtime version and level loads the
/// kept graph without optimising it again. A cache that cannot be written or read is skipped.
/// Every session allocates from one CPU arena registered with ONNX Runtime's environment, capped
/// at ORT_ARENA_MAX_BYTES, so no model can allocate without limit.
/// </summary>
internal sealed class OnnxSessionFactory(InferenceOptions options, ILogger logger)
{
    /// <summary>kSameAsRequested: the arena grows by what is asked, not to the next power of two, so the cap is what it holds.</summary>
    private const int ArenaExtendSameAsRequested = 1;

    public InferenceSession Open(string modelPath, string sha256)
    {
        RegisterArena();
        var cached = CachePath(sha256);
        if (cached is not null && File.Exists(cached))
        {
            try
            {
                // The kept graph is already optimised; optimising it again would only cost start-up time.
                using var reuse = SessionOptions(GraphOptimizationLevel.ORT_DISABLE_ALL);
                return new InferenceSession(cached, reuse);
            }
            catch (OnnxRuntimeException exception)
            {
                logger.LogWarning(exception, "The optimised model {Path} could not be loaded; optimising the model again", cached);
                TryDelete(cached);
            }
        }

        using var sessionOptions = SessionOptions(options.GraphOptimization);
        var written = cached is null ? null : $"{cached}.{Environment.ProcessId}.tmp";
        if (written is not null)
        {
            sessionOptions.OptimizedModelFilePath = written;
        }

        InferenceSession session;
        try
        {
            session = new InferenceSession(modelPath, sessionOptions);
        }
        catch (OnnxRuntimeException exception) when (written is not null)
        {
            logger.LogWarning(exception, "The model could not be opened while keeping its optimised graph at {Path}; opening it without the cache", written);
            TryDelete(written);
            using var uncached = SessionOptions(options.GraphOptimization);
            return new InferenceSession(modelPath, uncached);
        }

        if (written is not null)
        {
            // Renamed into place only once complete, so a process starting alongside never reads half a file.
            try
            {
                File.Move(written, cached!, overwrite: true);
            }
            catch (IOException exception)
            {
                logger.LogWarning(exception, "The optimised model could not be kept at {Path}", cached);
                TryDelete(written);
            }
        }

        return session;
    }

    private OrtSessionOptions SessionOptions(GraphOptimizationLevel level)
    {
        var sessionOptions = new OrtSessionOptions
        {
            GraphOptimizationLevel = level,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = options.IntraOpThreads,
            InterOpNumThreads = options.InterOpThreads,
        };
        // The sessions use the environment's capped arena instead of an unbounded one of their own.
        sessionOptions.AddSessionConfigEntry("session.use_env_allocators", "1");
        var spinning = options.AllowSpinning ? "1" : "0";
        sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", spinning);
        sessionOptions.AddSessionConfigEntry("session.inter_op.allow_spinning", spinning);
        return sessionOptions;
    }

    /// <summary>
    /// Registers the capped arena with ONNX Runtime's environment, which lives as long as the
    /// process: the first registration holds, and a later one is refused by ONNX Runtime.
    /// </summary>
    private void RegisterArena()
    {
        using var memory = new OrtMemoryInfo(OrtMemoryInfo.allocatorCPU, OrtAllocatorType.ArenaAllocator, 0, OrtMemType.Default);
        using var arena = new OrtArenaCfg((uint)options.ArenaMaxBytes, ArenaExtendSameAsRequested, -1, -1);
        try
        {
            OrtEnv.Instance().CreateAndRegisterAllocator(memory, arena);
        }
        catch (OnnxRuntimeException exception)
        {
            logger.LogDebug(exception, "ONNX Runtime's arena is registered already");
        }
    }

    /// <summary>The cache file for this model, or null when there is no usable cache directory.</summary>
    private string? CachePath(string sha256)
    {
        if (string.IsNullOrWhiteSpace(options.OptimizedModelDirectory))
        {
            return null;
        }

        try
        {
            Directory.CreateDirectory(options.OptimizedModelDirectory);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(exception, "No optimised-model cache: {Directory} cannot be created", options.OptimizedModelDirectory);
            return null;
        }

        var version = OrtEnv.Instance().GetVersionString();
        return Path.Combine(options.OptimizedModelDirectory, $"{sha256}-ort{version}-{options.GraphOptimization}.onnx");
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // A stale file is only retried at the next start.
        }
    }
}
