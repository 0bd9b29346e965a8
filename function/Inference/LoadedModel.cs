using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using ImageClassifier.Imaging;
using ImageClassifier.Scheduling;
using Microsoft.ML.OnnxRuntime;

namespace ImageClassifier.Inference;

/// <summary>
/// A session with the names and shapes it was checked against, ready to run, and counted: the
/// classifier holds one reference while it serves the model and each request's lease holds
/// another, so the session is closed when the last of them lets go, never while a run uses it.
/// </summary>
[SuppressMessage("Reliability", "CA1001", Justification = "Closed by its last reference (Release), not by Dispose, which any one holder could call too early.")]
internal sealed class LoadedModel : IModelSession
{
    private readonly InferenceSession session;
    private readonly RunOptions runOptions = new();
    private readonly SemaphoreSlim runSlots;
    private readonly CpuWorkers cpu;
    private readonly Action<LoadedModel> closed;
    private readonly string[] inputNames;
    private readonly string[] outputNames;
    private int references = 1;
    private IDisposable? heldUntilClosed;

    private LoadedModel(InferenceSession session, ModelBundle bundle, ModelInfo info, ModelSignature signature, PreprocessingSpec preprocessing, SemaphoreSlim runSlots, CpuWorkers cpu, Action<LoadedModel> closed)
    {
        Preprocessing = preprocessing;
        Output = bundle.Output ?? ModelOutput.Logits;
        this.session = session;
        this.runSlots = runSlots;
        this.cpu = cpu;
        this.closed = closed;
        Bundle = bundle;
        Model = info;
        Signature = signature;
        inputNames = [signature.InputName];
        outputNames = [signature.OutputName];
        Release = ReleaseOne;
    }

    public ModelBundle Bundle { get; }

    public ModelInfo Model { get; }

    public ModelSignature Signature { get; }

    /// <summary>The bundle's preprocessing fitted to the ONNX input (<see cref="ModelInput"/>).</summary>
    public PreprocessingSpec Preprocessing { get; }

    public int ClassCount => Bundle.Labels.Count;

    /// <summary>
    /// Whether a request's scores get a softmax: what the bundle states until the load check
    /// decides (<see cref="ModelOutputCheck"/>), before the model serves, so never applied twice.
    /// </summary>
    public ModelOutput Output { get; private set; }

    /// <summary>Lets go of one reference (cached, so a lease allocates no delegate).</summary>
    public Action Release { get; }

    /// <summary>
    /// Takes the preprocessing the ONNX file states, if it does (<see cref="PreprocessingFormat"/>), fits it to the session's one image input (<see cref="ModelInput"/>), checks that it gives
    /// one score per label, so a wrong model or label file is refused at load, not per request.
    /// The new model holds the classifier's reference.
    /// </summary>
    /// <exception cref="ModelUnavailableException">The signature does not fit (<c>invalid_model</c>).</exception>
    public static LoadedModel Create(
        InferenceSession session, ModelBundle bundle, ModelInfo info, SemaphoreSlim runSlots, CpuWorkers cpu, Action<LoadedModel> closed)
    {
        var (inputName, input) = session.InputMetadata.Single();
        var (outputName, output) = session.OutputMetadata.First();
        bundle = ModelDescription.FromOnnxMetadata(bundle, session.ModelMetadata.CustomMetadataMap,
            output.Dimensions is [_, > 0 and var outputs] ? outputs : null);
        var preprocessing = ModelInput.Fit(bundle, inputName, input);
        var dims = input.Dimensions;

        var classes = output.Dimensions[^1];
        if (output.ElementType != typeof(float) || output.Dimensions.Length != 2 || classes != bundle.Labels.Count)
        {
            throw new ModelUnavailableException(ModelMetrics.Outcomes.InvalidModel,
                $"{bundle.ModelPath}: output '{outputName}' is [{string.Join(',', output.Dimensions)}] {output.ElementType.Name}, but a float [N,classes] output with one class per label ({bundle.Labels.Count} lines) is needed.");
        }

        var signature = new ModelSignature(inputName, [.. dims.Select(d => (long)d)], outputName, [.. output.Dimensions.Select(d => (long)d)]);
        return new LoadedModel(session, bundle, info, signature, preprocessing, runSlots, cpu, closed);
    }

    /// <summary>What the load check found the output to be; set before the model serves (the swap publishes it).</summary>
    public void ServeOutputAs(ModelOutput output) => Output = output;

    /// <summary>A new reference, or false when the session is already closing (the caller reads the current model again).</summary>
    public bool TryAddReference()
    {
        var count = Volatile.Read(ref references);
        while (count > 0)
        {
            var seen = Interlocked.CompareExchange(ref references, count + 1, count);
            if (seen == count)
            {
                return true;
            }

            count = seen;
        }

        return false;
    }

    /// <summary>Keeps <paramref name="resource"/> (the memory reserved for a second session) until this session is closed.</summary>
    public void HoldUntilClosed(IDisposable resource)
    {
        if (Interlocked.CompareExchange(ref heldUntilClosed, resource, null) is not null)
        {
            throw new InvalidOperationException("The model already holds a resource until it is closed.");
        }
    }

    public async Task<IReadOnlyList<Prediction>> ClassifyAsync(ReadOnlyMemory<float> tensor, int topK, CancellationToken cancellationToken)
    {
        if (tensor.Length != Preprocessing.TensorLength)
        {
            throw new ArgumentException($"The tensor has {tensor.Length} values, the model takes {Preprocessing.TensorLength}.", nameof(tensor));
        }

        var classes = ClassCount;
        var probabilities = ArrayPool<float>.Shared.Rent(classes);
        try
        {
            var scores = probabilities.AsMemory(0, classes);
            await RunInSlotAsync(tensor, 1, scores, cancellationToken);
            if (Output == ModelOutput.Logits)
            {
                Softmax.Apply(scores.Span);
            }

            return TopK.Select(scores.Span, Bundle.Labels, topK);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(probabilities);
        }
    }

    public async Task<float[]> InferLogitsAsync(ReadOnlyMemory<float> tensors, int batchSize, CancellationToken cancellationToken)
    {
        var imageLength = Preprocessing.TensorLength;
        if (batchSize < 1 || tensors.Length != batchSize * imageLength)
        {
            throw new ArgumentException($"{batchSize} images take {batchSize * imageLength} values, not {tensors.Length}.", nameof(tensors));
        }

        var classes = ClassCount;
        var logits = new float[batchSize * classes];
        var step = Signature.FixedBatchOfOne ? 1 : batchSize;
        for (var first = 0; first < batchSize; first += step)
        {
            await RunInSlotAsync(tensors.Slice(first * imageLength, step * imageLength), step, logits.AsMemory(first * classes, step * classes), cancellationToken);
        }

        return logits;
    }

    /// <summary>
    /// One run outside the slots, before the model serves: ONNX Runtime allocates and plans on the
    /// first run. Pooled buffers, as a request's are, so that a swap leaves no large array behind.
    /// </summary>
    public void WarmUp()
    {
        var input = ArrayPool<float>.Shared.Rent(Preprocessing.TensorLength);
        var output = ArrayPool<float>.Shared.Rent(ClassCount);
        try
        {
            Array.Clear(input, 0, Preprocessing.TensorLength);
            Run(input.AsMemory(0, Preprocessing.TensorLength), 1, output.AsMemory(0, ClassCount));
        }
        finally
        {
            ArrayPool<float>.Shared.Return(input);
            ArrayPool<float>.Shared.Return(output);
        }
    }

    private void ReleaseOne()
    {
        if (Interlocked.Decrement(ref references) == 0)
        {
            // Closing frees tens of megabytes; it is not the last request's work to wait for.
            ThreadPool.UnsafeQueueUserWorkItem(static model => model.Close(), this, preferLocal: false);
        }
    }

    private void Close()
    {
        runOptions.Dispose();
        session.Dispose();
        Interlocked.Exchange(ref heldUntilClosed, null)?.Dispose();
        closed(this);
    }

    /// <summary>Runs once a slot is free, on the CPU work threads (ONNX Runtime runs on its caller's thread).</summary>
    private async Task RunInSlotAsync(ReadOnlyMemory<float> tensors, int batchSize, Memory<float> logits, CancellationToken cancellationToken)
    {
        await runSlots.WaitAsync(cancellationToken);
        try
        {
            await cpu.RunAheadAsync(static run => run.Model.Run(run.Tensors, run.BatchSize, run.Logits), new PendingRun(this, tensors, batchSize, logits), cancellationToken);
        }
        finally
        {
            runSlots.Release();
        }
    }

    private void Run(ReadOnlyMemory<float> tensors, int batchSize, Memory<float> logits)
    {
        // ONNX Runtime only reads the input, so the read-only memory may be handed to it as it is.
        var input = MemoryMarshal.AsMemory(tensors);
        using var inputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input, Preprocessing.TensorShape(batchSize));
        using var outputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, logits, [batchSize, ClassCount]);
        session.Run(runOptions, inputNames, [inputValue], outputNames, [outputValue]);
    }

    private readonly record struct PendingRun(LoadedModel Model, ReadOnlyMemory<float> Tensors, int BatchSize, Memory<float> Logits);
}
