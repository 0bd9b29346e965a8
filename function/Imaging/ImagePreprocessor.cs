using System.Runtime.InteropServices;
using ImageClassifier.Memory;
using ImageClassifier.Scheduling;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;

namespace ImageClassifier.Imaging;

/// <summary>
/// Bytes → the model's input tensor: the header read, the decode paid for from the memory budget
/// before any pixel is decoded, the image decoded by the loader within its limits, then resized,
/// cropped and normalised straight into pooled memory, on the CPU work threads. Every caller that
/// turns an image into a tensor (a request, a batch entry, the inference protocol, the warm-up)
/// does it through here.
/// </summary>
public sealed class ImagePreprocessor(IImageLoader loader, ITensorWriter writer, MemoryBudget budget, CpuWorkers cpu)
{
    /// <summary>One image's tensor, in a pooled buffer the caller disposes.</summary>
    public async Task<TensorBuffer> PrepareAsync(ReadOnlyMemory<byte> image, PreprocessingSpec spec, CancellationToken cancellationToken)
    {
        var tensor = new TensorBuffer(spec.TensorLength);
        try
        {
            await WriteAsync(image, spec, tensor.Memory, cancellationToken);
            return tensor;
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }

    /// <summary>Several images' tensors laid end to end, in a pooled buffer the caller disposes.</summary>
    public async Task<TensorBuffer> PrepareBatchAsync(IReadOnlyList<byte[]> images, PreprocessingSpec spec, CancellationToken cancellationToken)
    {
        var tensors = new TensorBuffer(images.Count * spec.TensorLength);
        try
        {
            for (var index = 0; index < images.Count; index++)
            {
                await WriteAsync(images[index], spec, tensors.Memory.Slice(index * spec.TensorLength, spec.TensorLength), cancellationToken);
            }

            return tensors;
        }
        catch
        {
            tensors.Dispose();
            throw;
        }
    }

    private async Task WriteAsync(ReadOnlyMemory<byte> image, PreprocessingSpec spec, Memory<float> destination, CancellationToken cancellationToken)
    {
        var header = loader.Identify(image);
        using (await budget.ReserveAsync(header.DecodeBytes, $"Decoding the {header.Width}x{header.Height} image", cancellationToken))
        {
            await cpu.RunAsync(static pending => pending.Preprocessor.Decode(pending.Header, pending.Spec, pending.Destination.Span),
                new PendingDecode(this, header, spec, destination), cancellationToken);
        }
    }

    /// <summary>
    /// The loader's image as the writer reads it: upright RGB, four bytes a pixel, its complement
    /// undone for <see cref="RgbOverWhite"/>. A copy while the decoder is ImageSharp, which
    /// cannot decode into that layout itself.
    /// </summary>
    internal static DecodedImage ToDecodedImage(Image image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return image switch
        {
            Image<Rgb24> rgb => Copy(rgb, complement: 0),
            Image<RgbOverWhite> overWhite => Copy(overWhite, complement: 255),
            _ => throw new ArgumentException($"Images of {image.GetType().Name} are not written; the loader gives Rgb24 or RgbOverWhite.", nameof(image)),
        };
    }

    private void Decode(ImageHeader header, PreprocessingSpec spec, Span<float> destination)
    {
        using var decoded = loader.Load(header);
        using var pixels = ToDecodedImage(decoded);
        writer.Write(pixels, spec, destination);
    }

    /// <summary>Both pixel types are three bytes, red, green, blue; each stored byte is XORed with <paramref name="complement"/> (255 − v = v ^ 255).</summary>
    private static DecodedImage Copy<TPixel>(Image<TPixel> image, byte complement)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        var decoded = new DecodedImage(image.Width, image.Height, image.Width, image.Height);
        for (var y = 0; y < image.Height; y++)
        {
            var source = MemoryMarshal.AsBytes(image.DangerousGetPixelRowMemory(y).Span);
            var target = decoded.Row(y);
            for (int from = 0, to = 0; from < source.Length; from += 3, to += DecodedImage.BytesPerPixel)
            {
                target[to] = (byte)(source[from] ^ complement);
                target[to + 1] = (byte)(source[from + 1] ^ complement);
                target[to + 2] = (byte)(source[from + 2] ^ complement);
                target[to + 3] = 255;
            }
        }

        return decoded;
    }

    private readonly record struct PendingDecode(ImagePreprocessor Preprocessor, ImageHeader Header, PreprocessingSpec Spec, Memory<float> Destination);
}
