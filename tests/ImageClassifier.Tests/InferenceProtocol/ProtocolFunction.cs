using ImageClassifier.Imaging;
using ImageClassifier.Inference;
using ImageClassifier.Tests.Harness;
using Microsoft.Extensions.DependencyInjection;

namespace ImageClassifier.Tests.InferenceProtocol;

/// <summary>An xunit fixture: the function in-process on the default model, ready, with its own services at hand.</summary>
public sealed class ProtocolFunction : IAsyncLifetime
{
    public const string ModelName = "mobilenetv2-12-int8";

    private readonly FunctionApp _app = new();

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync() => Client = await _app.CreateReadyClientAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    /// <summary>An image's tensor made by the function's own loader and tensor writer, as POST / makes it.</summary>
    public float[] Preprocess(string imageName)
    {
        var loader = _app.Services.GetRequiredService<IImageLoader>();
        var writer = _app.Services.GetRequiredService<ITensorWriter>();
        var spec = _app.Services.GetRequiredService<IClassifier>().Preprocessing;
        var tensor = new float[spec.TensorLength];
        using var image = loader.Load(TestImages.Read(imageName));
        writer.Write(image, spec, tensor);
        return tensor;
    }
}
