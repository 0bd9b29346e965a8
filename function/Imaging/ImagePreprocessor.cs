using ImageClassifier.Memory;
using ImageClassifier.Scheduling;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Imaging;

/// <summary>
/// Bytes → the model's input tensor: the header read and the decode planned at the size the model
/// needs, paid for from the memory budget before any pixel is decoded, the image decoded by the
/// loader within its limits and its deadline, then resized, cropped and normalised straight into
/// pooled memory, on the CPU work threads. Every caller that
/// turns an image into a tensor (a request, a batch entry, the inference protocol, the warm-up)
/// does it through here.
/// </summary>
public sealed class ImagePreprocessor(
    IImageLoader loader, ITensorWriter writer, MemoryBudget budget, CpuWorkers cpu, IOptions<ImagingOptions> options, TimeProvider time)
{
    private readonly TimeSpan decodeTimeout = TimeSpan.FromSeconds(options.Value.DecodeTimeoutSeconds);

    /// <summary>One image's tensor, in a pooled buffer the caller disposes.</summary>
    public async Task<TensorBuffer> PrepareAsync(ReadOnlyMemory<byte> image, PreprocessingSpec spec, CancellationToken cancellationToken)
    {
        var tensor = new TensorBuffer(spec.TensorLength);
        try
        {
            await WriteAsync(image, spec, tensor.Memory, classifiedNext: true, cancellationToken);
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
                await WriteAsync(
                    images[index], spec, tensors.Memory.Slice(index * spec.TensorLength, spec.TensorLength), classifiedNext: index == images.Count - 1, cancellationToken);
            }

            return tensors;
        }
        catch
        {
            tensors.Dispose();
            throw;
        }
    }

    /// <summary>
    /// One image into <paramref name="destination"/>; when it is <paramref name="classifiedNext"/>,
    /// the caller resumes on the decode's CPU work thread, whose next work is then its inference.
    /// </summary>
    private async Task WriteAsync(ReadOnlyMemory<byte> image, PreprocessingSpec spec, Memory<float> destination, bool classifiedNext, CancellationToken cancellationToken)
    {
        var header = loader.Identify(image, spec.ResizedSize);
        using (await budget.ReserveAsync(header.DecodeBytes, $"Decoding the {header.Width}x{header.Height} image", cancellationToken))
        {
            var pending = new PendingDecode(this, header, spec, destination, cancellationToken);
            await (classifiedNext ? cpu.RunThenAheadAsync(DecodeAction, pending, cancellationToken) : cpu.RunAsync(DecodeAction, pending, cancellationToken));
        }
    }

    private static void DecodeAction(PendingDecode pending) =>
        pending.Preprocessor.Decode(pending.Header, pending.Spec, pending.Destination.Span, pending.CancellationToken);

    /// <summary>
    /// On a CPU work thread: the deadline starts now, not when the work was queued. Only the part
    /// of the image the resize reads is asked of the decoder.
    /// </summary>
    private void Decode(ImageHeader header, PreprocessingSpec spec, Span<float> destination, CancellationToken cancellationToken)
    {
        var deadline = new DecodeDeadline(time, decodeTimeout, cancellationToken);
        using var pixels = loader.Load(header, writer.Reads(header.Scaled, header.Facts.Upright, spec), deadline);
        writer.Write(pixels, spec, destination);
    }

    private readonly record struct PendingDecode(
        ImagePreprocessor Preprocessor, ImageHeader Header, PreprocessingSpec Spec, Memory<float> Destination, CancellationToken CancellationToken);
}
