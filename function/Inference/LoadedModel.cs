using Microsoft.ML.OnnxRuntime;

namespace ImageClassifier.Inference;

/// <summary>A session with the names and shapes it was checked against, ready to run.</summary>
internal sealed record LoadedModel(
    InferenceSession Session,
    ModelBundle Bundle,
    ModelInfo Info,
    string[] InputNames,
    string[] OutputNames,
    long[] InputShape,
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

        return new LoadedModel(session, bundle, info, [inputName], [outputName], [1, 3, crop, crop], new RunOptions());
    }

    public void Dispose()
    {
        RunOptions.Dispose();
        Session.Dispose();
    }
}
