using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using ImageClassifier.Failures;
using ImageClassifier.Imaging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;

namespace ImageClassifier.Inference;

/// <summary>
/// The process's one ONNX Runtime session and what it needs to answer: loaded once at
/// start-up by <see cref="ModelLoader"/>, then shared by every request (Run is thread-safe).
/// At most <see cref="InferenceOptions.MaxConcurrentRuns"/> runs go at once; a request beyond
/// them awaits a slot, and gives it up if it is cancelled while waiting. Inputs and outputs are
/// ONNX Runtime values over the caller's (pooled) memory, so a run copies nothing.
/// </summary>
public sealed class OnnxClassifier(IOptions<InferenceOptions> options, ILogger<OnnxClassifier>? logger = null) : IClassifier, IDisposable
{
    private readonly SemaphoreSlim runSlots = new(options.Value.MaxConcurrentRuns, options.Value.MaxConcurrentRuns);
    private LoadedModel? _loaded;

    public bool IsReady => _loaded is not null;

    public ModelInfo Model => Loaded.Info;

    public PreprocessingSpec Preprocessing => Loaded.Bundle.Preprocessing;

    public int ClassCount => Loaded.Bundle.Labels.Count;

    public ModelSignature Signature => Loaded.Signature;

    private LoadedModel Loaded => _loaded ?? throw Problems.NotReady.Failure("The model is not loaded yet; retry shortly.");

    /// <summary>Checks the file, opens the session, checks its shapes and warms it up with one run.</summary>
    public async Task LoadAsync(ModelBundle bundle, CancellationToken cancellationToken)
    {
        var sha256 = await ComputeSha256Async(bundle.ModelPath, cancellationToken);
        if (bundle.ExpectedSha256 is { } expected && !string.Equals(expected, sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException($"{bundle.ModelPath} has SHA-256 {sha256}, but {expected} is pinned.");
        }

        var session = new OnnxSessionFactory(options.Value, (ILogger?)logger ?? NullLogger.Instance).Open(bundle.ModelPath, sha256);
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

    public async Task<IReadOnlyList<Prediction>> ClassifyAsync(ReadOnlyMemory<float> tensor, int topK, CancellationToken cancellationToken)
    {
        var loaded = Loaded;
        if (tensor.Length != loaded.Bundle.Preprocessing.TensorLength)
        {
            throw new ArgumentException($"The tensor has {tensor.Length} values, the model takes {loaded.Bundle.Preprocessing.TensorLength}.", nameof(tensor));
        }

        var classes = loaded.Bundle.Labels.Count;
        var probabilities = ArrayPool<float>.Shared.Rent(classes);
        try
        {
            var scores = probabilities.AsMemory(0, classes);
            await RunInSlotAsync(loaded, tensor, 1, scores, cancellationToken);
            Softmax.Apply(scores.Span);
            return TopK.Select(scores.Span, loaded.Bundle.Labels, topK);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(probabilities);
        }
    }

    public async Task<float[]> InferLogitsAsync(ReadOnlyMemory<float> tensors, int batchSize, CancellationToken cancellationToken)
    {
        var loaded = Loaded;
        var imageLength = loaded.Bundle.Preprocessing.TensorLength;
        if (batchSize < 1 || tensors.Length != batchSize * imageLength)
        {
            throw new ArgumentException($"{batchSize} images take {batchSize * imageLength} values, not {tensors.Length}.", nameof(tensors));
        }

        var classes = loaded.Bundle.Labels.Count;
        var logits = new float[batchSize * classes];
        var step = loaded.Signature.FixedBatchOfOne ? 1 : batchSize;
        for (var first = 0; first < batchSize; first += step)
        {
            await RunInSlotAsync(
                loaded, tensors.Slice(first * imageLength, step * imageLength), step, logits.AsMemory(first * classes, step * classes), cancellationToken);
        }

        return logits;
    }

    public void Dispose()
    {
        _loaded?.Dispose();
        runSlots.Dispose();
    }

    /// <summary>Runs once a slot is free; the run itself is CPU work on the caller's thread.</summary>
    private async Task RunInSlotAsync(
        LoadedModel loaded, ReadOnlyMemory<float> tensors, int batchSize, Memory<float> logits, CancellationToken cancellationToken)
    {
        await runSlots.WaitAsync(cancellationToken);
        try
        {
            Run(loaded, tensors, batchSize, logits);
        }
        finally
        {
            runSlots.Release();
        }
    }

    private static void Run(LoadedModel loaded, ReadOnlyMemory<float> tensors, int batchSize, Memory<float> logits)
    {
        var crop = loaded.Bundle.Preprocessing.CropSize;
        var classes = loaded.Bundle.Labels.Count;

        // ONNX Runtime only reads the input, so the read-only memory may be handed to it as it is.
        var input = MemoryMarshal.AsMemory(tensors);
        using var inputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input, [batchSize, 3, crop, crop]);
        using var outputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, logits, [batchSize, classes]);
        loaded.Session.Run(loaded.RunOptions, loaded.InputNames, [inputValue], loaded.OutputNames, [outputValue]);
    }

    private static async Task<string> ComputeSha256Async(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }
}
