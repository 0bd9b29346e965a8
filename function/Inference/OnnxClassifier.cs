using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;

namespace ImageClassifier.Inference;

/// <summary>
/// The process's one ONNX Runtime session and what it needs to answer: loaded once at
/// start-up by <see cref="ModelLoader"/>, then shared by every request (Run is thread-safe).
/// </summary>
public sealed class OnnxClassifier(IOptions<InferenceOptions> options) : IClassifier, IDisposable
{
    private LoadedModel? _loaded;

    public bool IsReady => _loaded is not null;

    public ModelInfo Model => Loaded.Info;

    public PreprocessingSpec Preprocessing => Loaded.Bundle.Preprocessing;

    public int ClassCount => Loaded.Bundle.Labels.Count;

    public ModelSignature Signature => Loaded.Signature;

    private LoadedModel Loaded => _loaded ?? throw new ClassificationException(
        FailureKind.Unavailable, "not-ready", "The model is still loading; try again shortly.")
    { RetryAfterSeconds = 1 };

    /// <summary>Checks the file, opens the session, checks its shapes and warms it up with one run.</summary>
    public async Task LoadAsync(ModelBundle bundle, CancellationToken cancellationToken)
    {
        var sha256 = await ComputeSha256Async(bundle.ModelPath, cancellationToken);
        if (bundle.ExpectedSha256 is { } expected && !string.Equals(expected, sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException($"{bundle.ModelPath} has SHA-256 {sha256}, but {expected} is pinned.");
        }

        using var sessionOptions = new Microsoft.ML.OnnxRuntime.SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = options.Value.IntraOpThreads,
            InterOpNumThreads = options.Value.InterOpThreads,
        };
        var session = new InferenceSession(bundle.ModelPath, sessionOptions);
        LoadedModel? loaded = null;
        try
        {
            loaded = LoadedModel.Create(session, bundle, new ModelInfo(bundle.Name, sha256));

            // One run before readiness: ONNX Runtime allocates and plans on the first run.
            Run(loaded, new float[bundle.Preprocessing.TensorLength], 1, new float[bundle.Labels.Count]);
        }
        catch
        {
            if (loaded is null)
            {
                session.Dispose();
            }
            else
            {
                loaded.Dispose();
            }

            throw;
        }

        Interlocked.Exchange(ref _loaded, loaded)?.Dispose();
    }

    public Task<IReadOnlyList<Prediction>> ClassifyAsync(ReadOnlyMemory<float> tensor, int topK, CancellationToken cancellationToken)
    {
        var loaded = Loaded;
        if (tensor.Length != loaded.Bundle.Preprocessing.TensorLength)
        {
            throw new ArgumentException($"The tensor has {tensor.Length} values, the model takes {loaded.Bundle.Preprocessing.TensorLength}.", nameof(tensor));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var classes = loaded.Bundle.Labels.Count;
        var probabilities = ArrayPool<float>.Shared.Rent(classes);
        try
        {
            var scores = probabilities.AsSpan(0, classes);
            Run(loaded, MemoryMarshal.AsMemory(tensor), 1, scores);
            Softmax.Apply(scores);
            return Task.FromResult<IReadOnlyList<Prediction>>(TopK.Select(scores, loaded.Bundle.Labels, topK));
        }
        finally
        {
            ArrayPool<float>.Shared.Return(probabilities);
        }
    }

    public Task<float[]> InferLogitsAsync(ReadOnlyMemory<float> tensors, int batchSize, CancellationToken cancellationToken)
    {
        var loaded = Loaded;
        var imageLength = loaded.Bundle.Preprocessing.TensorLength;
        if (batchSize < 1 || tensors.Length != batchSize * imageLength)
        {
            throw new ArgumentException($"{batchSize} images take {batchSize * imageLength} values, not {tensors.Length}.", nameof(tensors));
        }

        var classes = loaded.Bundle.Labels.Count;
        var logits = new float[batchSize * classes];
        var input = MemoryMarshal.AsMemory(tensors);
        var step = loaded.Signature.FixedBatchOfOne ? 1 : batchSize;
        for (var first = 0; first < batchSize; first += step)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Run(loaded, input.Slice(first * imageLength, step * imageLength), step, logits.AsSpan(first * classes, step * classes));
        }

        return Task.FromResult(logits);
    }

    public void Dispose() => _loaded?.Dispose();

    private static void Run(LoadedModel loaded, Memory<float> tensors, int batchSize, Span<float> logits)
    {
        var crop = loaded.Bundle.Preprocessing.CropSize;
        using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, tensors, [batchSize, 3, crop, crop]);
        using var outputs = loaded.Session.Run(loaded.RunOptions, loaded.InputNames, [input], loaded.OutputNames);
        outputs[0].GetTensorDataAsSpan<float>().CopyTo(logits);
    }

    private static async Task<string> ComputeSha256Async(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }
}
