using System.Security.Cryptography;
using ImageClassifier.Failures;
using ImageClassifier.Imaging;
using ImageClassifier.Memory;
using ImageClassifier.Scheduling;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;

namespace ImageClassifier.Inference;

/// <summary>
/// The model the function serves: an ONNX Runtime session shared by every request (Run is
/// thread-safe), loaded at start-up by <see cref="ModelLoader"/> and swapped atomically when
/// <see cref="ModelRefresher"/> has a checked new one. A request holds the model it started with
/// through a lease (<see cref="Acquire"/>); a swapped-out session is closed when its last lease
/// ends. At most <see cref="InferenceOptions.MaxConcurrentRuns"/> runs go at once, across models;
/// a request beyond them awaits a slot, and gives it up if it is cancelled while waiting. Inputs
/// and outputs are ONNX Runtime values over the caller's (pooled) memory, so a run copies nothing.
/// </summary>
public sealed class OnnxClassifier(IOptions<InferenceOptions> options, CpuWorkers cpu, ILogger<OnnxClassifier>? logger = null) : IClassifier, IDisposable
{
    private readonly SemaphoreSlim runSlots = new(options.Value.MaxConcurrentRuns, options.Value.MaxConcurrentRuns);
    private readonly ILogger log = (ILogger?)logger ?? NullLogger.Instance;
    private LoadedModel? current;
    private int openSessions;

    public bool IsReady => Volatile.Read(ref current) is not null;

    /// <summary>ONNX Runtime sessions open now: the serving one, and during a swap the candidate or the one retiring.</summary>
    public int OpenSessions => Volatile.Read(ref openSessions);

    public ModelInfo Model => Current.Model;

    public PreprocessingSpec Preprocessing => Current.Preprocessing;

    public int ClassCount => Current.ClassCount;

    public ModelSignature Signature => Current.Signature;

    private LoadedModel Current => Volatile.Read(ref current) ?? throw NotReady();

    public ModelLease Acquire()
    {
        while (true)
        {
            var model = Volatile.Read(ref current) ?? throw NotReady();
            if (!model.TryAddReference())
            {
                // Swapped out and closing between the read and the count: the new one is in place.
                continue;
            }

            if (ReferenceEquals(Volatile.Read(ref current), model))
            {
                return new ModelLease(model, model.Release);
            }

            // Swapped out between the read and the count: a request starting now gets the new one.
            model.Release();
        }
    }

    /// <summary>Opens, checks and serves a model at once (no swap protocol: for the start-up and tools).</summary>
    public async Task LoadAsync(ModelBundle bundle, CancellationToken cancellationToken) =>
        Serve(await OpenAsync(bundle, cancellationToken), heldUntilRetired: null);

    /// <summary>
    /// Checks the file against the SHA-256 it was delivered with, opens the session beside the one
    /// serving, checks its tensors and runs it once. The caller serves it (<see cref="Serve"/>) or
    /// lets it go (<see cref="LoadedModel.Release"/>).
    /// </summary>
    /// <exception cref="ModelUnavailableException">The file changed or will not open, or its tensors do not fit.</exception>
    internal async Task<LoadedModel> OpenAsync(ModelBundle bundle, CancellationToken cancellationToken)
    {
        var sha256 = await ComputeSha256Async(bundle.ModelPath, cancellationToken);
        if (bundle.ExpectedSha256 is { } expected && !string.Equals(expected, sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new ModelUnavailableException(ModelMetrics.Outcomes.HashMismatch,
                $"{bundle.ModelPath} has SHA-256 {sha256}, but {expected} was delivered.");
        }

        InferenceSession session;
        try
        {
            session = new OnnxSessionFactory(options.Value, log).Open(bundle.ModelPath, sha256);
        }
        catch (OnnxRuntimeException exception)
        {
            throw new ModelUnavailableException(ModelMetrics.Outcomes.InvalidModel,
                $"{bundle.ModelPath} does not open as an ONNX model: {exception.Message}", exception);
        }

        LoadedModel loaded;
        try
        {
            loaded = LoadedModel.Create(session, bundle, new ModelInfo(bundle.Name, sha256, bundle.Version), runSlots, cpu, Closed);
        }
        catch
        {
            session.Dispose();
            throw;
        }

        Interlocked.Increment(ref openSessions);
        try
        {
            loaded.WarmUp();
        }
        catch (OnnxRuntimeException exception)
        {
            loaded.Release();
            throw new ModelUnavailableException(ModelMetrics.Outcomes.InvalidModel, $"{bundle.ModelPath} does not run: {exception.Message}", exception);
        }

        return loaded;
    }

    /// <summary>
    /// Swaps <paramref name="next"/> in, atomically: requests that start from now on get it, those
    /// running keep the model they hold. The model it replaces is closed when its last request
    /// ends, and <paramref name="heldUntilRetired"/> (the memory reserved for the second session)
    /// is given back then.
    /// </summary>
    internal void Serve(LoadedModel next, IDisposable? heldUntilRetired)
    {
        var previous = Interlocked.Exchange(ref current, next);
        if (previous is null)
        {
            heldUntilRetired?.Dispose();
            return;
        }

        if (heldUntilRetired is not null)
        {
            previous.HoldUntilClosed(heldUntilRetired);
        }

        previous.Release();
    }

    public Task<IReadOnlyList<Prediction>> ClassifyAsync(ReadOnlyMemory<float> tensor, int topK, CancellationToken cancellationToken) =>
        WithLeaseAsync(model => model.ClassifyAsync(tensor, topK, cancellationToken));

    public Task<float[]> InferLogitsAsync(ReadOnlyMemory<float> tensors, int batchSize, CancellationToken cancellationToken) =>
        WithLeaseAsync(model => model.InferLogitsAsync(tensors, batchSize, cancellationToken));

    public void Dispose()
    {
        Interlocked.Exchange(ref current, null)?.Release();
        runSlots.Dispose();
    }

    private static ClassificationException NotReady() => Problems.NotReady.Failure("The model is not loaded yet; retry shortly.");

    private async Task<T> WithLeaseAsync<T>(Func<ModelLease, Task<T>> run)
    {
        using var model = Acquire();
        return await run(model);
    }

    private void Closed(LoadedModel model)
    {
        var open = Interlocked.Decrement(ref openSessions);
        log.LogInformation("Model {Model} version {Version} (sha256 {Sha256}) closed after its last request; {Open} session(s) open",
            model.Model.Name, model.Model.Version ?? "(none)", model.Model.Sha256, open);

        // A swap is rare, and what the old model leaves behind would otherwise stay resident: the
        // GC's grown heap (measured under traffic: about 30 MiB more after ten swaps, under the
        // native publish 1.2-1.3x the RSS after the first) and ONNX Runtime's freed arenas in the
        // C heap. One blocking collection that decommits, then the C heap's trim, return both.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        NativeHeap.Trim();
    }

    private static async Task<string> ComputeSha256Async(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }
}
