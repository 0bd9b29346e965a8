using System.Buffers;
using CloudNative.CloudEvents;
using ImageClassifier.Imaging;
using ImageClassifier.Inference;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ImageClassifier.Http;

/// <summary>
/// One request's work, done before the function says it is ready: a generated JPEG is read as
/// an <c>image/jpeg</c> request, decoded, turned into the tensor, classified, and its reply
/// event written in both modes, so the JIT has compiled the hot path before the first caller
/// pays for it. It uses the real loader, writer and session, whatever the interfaces resolve to.
/// </summary>
internal sealed class PipelineWarmUp(
    RequestReader reader,
    ImageSharpLoader loader,
    TensorWriter writer,
    OnnxClassifier classifier,
    ReplyBuilder replies,
    CloudEventHttpBinding binding) : IWarmUp
{
    private const int Width = 320;
    private const int Height = 240;

    public async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        var request = new DefaultHttpContext().Request;
        request.Method = HttpMethods.Post;
        request.ContentType = "image/jpeg";
        var jpeg = GeneratedJpeg();
        request.ContentLength = jpeg.Length;
        request.Body = new MemoryStream(jpeg, writable: false);
        var incoming = await reader.ReadAsync(request, cancellationToken);

        using var image = loader.Load(incoming.Request!.Image!.Value);
        var spec = classifier.Preprocessing;
        var tensor = ArrayPool<float>.Shared.Rent(spec.TensorLength);
        IReadOnlyList<Prediction> predictions;
        try
        {
            writer.Write(image, spec, tensor.AsSpan(0, spec.TensorLength));
            predictions = await classifier.ClassifyAsync(tensor.AsMemory(0, spec.TensorLength), 5, cancellationToken);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(tensor);
        }

        var result = new ClassificationResult(null, classifier.Model, predictions);
        foreach (var mode in new[] { ContentMode.Binary, ContentMode.Structured })
        {
            var response = new DefaultHttpContext().Response;
            response.Body = new MemoryStream();
            await binding.WriteAsync(replies.Build(result), mode, response, cancellationToken);
        }
    }

    /// <summary>A smooth gradient: real image content for the decoder's every stage, made in memory.</summary>
    private static byte[] GeneratedJpeg()
    {
        using var image = new Image<Rgb24>(Width, Height);
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                image[x, y] = new Rgb24((byte)(x * 255 / Width), (byte)(y * 255 / Height), 128);
            }
        }

        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream);
        return stream.ToArray();
    }
}
