namespace ImageClassifier.Imaging;

/// <summary>
/// Bytes → the model's input tensor: decoded by the loader, within its limits, then resized,
/// cropped and normalised straight into pooled memory. Every caller that turns an image into a
/// tensor (a request, a batch entry, the inference protocol, the warm-up) does it through here.
/// </summary>
public sealed class ImagePreprocessor(IImageLoader loader, ITensorWriter writer)
{
    /// <summary>One image's tensor, in a pooled buffer the caller disposes.</summary>
    public Task<TensorBuffer> PrepareAsync(ReadOnlyMemory<byte> image, PreprocessingSpec spec, CancellationToken cancellationToken)
    {
        var tensor = new TensorBuffer(spec.TensorLength);
        try
        {
            Write(image, spec, tensor.Span);
            return Task.FromResult(tensor);
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }

    /// <summary>Several images' tensors laid end to end, in a pooled buffer the caller disposes.</summary>
    public Task<TensorBuffer> PrepareBatchAsync(IReadOnlyList<byte[]> images, PreprocessingSpec spec, CancellationToken cancellationToken)
    {
        var tensors = new TensorBuffer(images.Count * spec.TensorLength);
        try
        {
            for (var index = 0; index < images.Count; index++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Write(images[index], spec, tensors.Span.Slice(index * spec.TensorLength, spec.TensorLength));
            }

            return Task.FromResult(tensors);
        }
        catch
        {
            tensors.Dispose();
            throw;
        }
    }

    private void Write(ReadOnlyMemory<byte> image, PreprocessingSpec spec, Span<float> destination)
    {
        using var pixels = loader.Load(image);
        writer.Write(pixels, spec, destination);
    }
}
