using Microsoft.ML.OnnxRuntime;

namespace ImageClassifier.Inference;

/// <summary>A session with the names and shapes it was checked against, ready to run.</summary>
internal sealed record LoadedModel(
    InferenceSession Session,
    ModelBundle Bundle,
    ModelInfo Info,
    ModelSignature Signature,
    RunOptions RunOptions) : IDisposable
{
    /// <summary>
    /// Checks that the session takes one NCHW image tensor of the bundle's crop size and gives
    /// one score per label, so a wrong MODEL_PATH or LABELS_PATH fails at start-up, not per request.
    /// </summary>
    public static LoadedModel Create(InferenceSession session, ModelBundle bundle, ModelInfo info)
    {
        var (inputName, input) = session.InputMetadata.Single();
        var (outputName, output) = session.OutputMetadata.First();
        var crop = bundle.Preprocessing.CropSize;
        var dims = input.Dimensions;
        if (input.ElementType != typeof(float) || dims.Length != 4 || dims[1] != 3
            || (dims[2] > 0 && dims[2] != crop) || (dims[3] > 0 && dims[3] != crop))
        {
            throw new InvalidDataException(
                $"{bundle.ModelPath}: input '{inputName}' is [{string.Join(',', dims)}] {input.ElementType.Name}; a float [N,3,{crop},{crop}] image tensor is needed.");
        }

        var classes = output.Dimensions[^1];
        if (classes != bundle.Labels.Count)
        {
            throw new InvalidDataException(
                $"{bundle.ModelPath}: output '{outputName}' has {classes} classes but the labels have {bundle.Labels.Count} lines.");
        }

        var signature = new ModelSignature(inputName, [.. dims.Select(d => (long)d)], outputName, [.. output.Dimensions.Select(d => (long)d)]);
        return new LoadedModel(session, bundle, info, signature, new RunOptions());
    }

    public string[] InputNames { get; } = [Signature.InputName];

    public string[] OutputNames { get; } = [Signature.OutputName];

    public void Dispose()
    {
        RunOptions.Dispose();
        Session.Dispose();
    }
}
