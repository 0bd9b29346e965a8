using ImageClassifier.Imaging;
using ImageClassifier.Inference;
using ImageClassifier.Tests.Harness;
using Microsoft.Extensions.DependencyInjection;

namespace ImageClassifier.Tests.InferenceProtocol;

/// <summary>An xunit fixture: the function in-process on the default model, ready, with its own services at hand.</summary>
public sealed class ProtocolFunction : FunctionApp
{
    public const string ModelName = "mobilenetv2-12-int8";

    /// <summary>An image's tensor made by the function's own preprocessing, as POST / makes it.</summary>
    public async Task<float[]> PreprocessAsync(string imageName)
    {
        var spec = Services.GetRequiredService<IClassifier>().Preprocessing;
        using var tensor = await Services.GetRequiredService<ImagePreprocessor>().PrepareAsync(TestImages.Read(imageName), spec, CancellationToken.None);
        return tensor.Memory.ToArray();
    }
}
