using ImageClassifier.Failures;
using ImageClassifier.Imaging;
using ImageClassifier.Inference;
using Microsoft.Extensions.Options;

namespace ImageClassifier.InferenceProtocol;

/// <summary>
/// Checks an inference request against the served model and turns its one input into a batch of
/// image tensors: either the model's own FP32 input, or, as this server's extension, encoded
/// images (BYTES, base64) that go through the function's own preprocessing.
/// </summary>
internal sealed class InferInputDecoder(ImagePreprocessor preprocessor, IOptions<ImagingOptions> image)
{
    /// <summary>The extension input: one encoded image (JPEG, PNG, …) per element.</summary>
    public const string ImageBytesInput = "image_bytes";

    /// <summary>
    /// Images per request. ONNX Runtime's arena keeps the activations of the largest batch it
    /// has run, once per request in flight: measured at 8 requests in parallel with the heap
    /// capped at 384 MiB, batches of 4 kept the process at 490 MB, batches of 8 at 600 MB, over
    /// the Service's 512 MiB limit.
    /// </summary>
    public const int MaxBatch = 4;

    /// <summary>
    /// The largest request body, held whole while it is parsed: 2 FP32 images in JSON at full
    /// precision (about 20 bytes a value), more at fewer digits, or 4 photos as BYTES.
    /// </summary>
    public const int MaxBodyBytes = 8 * 1024 * 1024;

    /// <summary>The request's images as <paramref name="model"/> takes them, in a pooled buffer the caller disposes, and how many there are.</summary>
    public async Task<(TensorBuffer Tensors, int Count)> DecodeAsync(InferRequest request, IModelSession model, CancellationToken cancellationToken)
    {
        var signature = model.Signature;
        foreach (var output in request.Outputs ?? [])
        {
            if (output.Name != signature.OutputName)
            {
                throw Malformed($"Unknown output '{output.Name}': the model gives '{signature.OutputName}'.");
            }
        }

        var input = request.Inputs is [var only]
            ? only
            : throw Malformed($"The model takes exactly one input: '{signature.InputName}' ({TensorDatatypes.Fp32}) or '{ImageBytesInput}' ({TensorDatatypes.Bytes}).");
        if (input.Name == signature.InputName)
        {
            return DecodeTensors(input, model.Preprocessing);
        }

        if (input.Name == ImageBytesInput)
        {
            return await DecodeImagesAsync(input, model.Preprocessing, cancellationToken);
        }

        throw Malformed($"Unknown input '{input.Name}': the model takes '{signature.InputName}' ({TensorDatatypes.Fp32}) or '{ImageBytesInput}' ({TensorDatatypes.Bytes}).");
    }

    public static ClassificationException Malformed(string detail, Exception? inner = null) =>
        Problems.InvalidInferenceRequest.Failure(detail, inner);

    private static (TensorBuffer Tensors, int Count) DecodeTensors(RequestInput input, PreprocessingSpec spec)
    {
        RequireDatatype(input, TensorDatatypes.Fp32);

        // The model was checked at load to take the spec's shape, whatever its file calls dynamic.
        var imageShape = spec.TensorShape(1).AsSpan(1);
        var shape = input.Shape ?? [];
        if (shape.Length != imageShape.Length + 1 || !shape.AsSpan(1).SequenceEqual(imageShape))
        {
            throw Malformed($"Input '{input.Name}' must have shape [N,{string.Join(',', imageShape.ToArray())}], not [{string.Join(',', shape)}].");
        }

        var count = CheckBatch(shape[0]);
        var data = input.Data ?? new TensorData();
        var length = count * spec.TensorLength;
        if (data.Bytes.Count > 0 || data.Numbers.Count != length)
        {
            throw Malformed($"Input '{input.Name}' of shape [{string.Join(',', shape)}] needs {length} numbers, not {data.Count} elements.");
        }

        var tensors = new TensorBuffer(length);
        data.Numbers.CopyTo(tensors.Span);
        return (tensors, count);
    }

    private async Task<(TensorBuffer Tensors, int Count)> DecodeImagesAsync(RequestInput input, PreprocessingSpec spec, CancellationToken cancellationToken)
    {
        RequireDatatype(input, TensorDatatypes.Bytes);
        if (input.Shape is not [var elements])
        {
            throw Malformed($"Input '{ImageBytesInput}' must have shape [N], one image per element.");
        }

        var count = CheckBatch(elements);
        var data = input.Data ?? new TensorData();
        if (data.Numbers.Count > 0 || data.Bytes.Count != count)
        {
            throw Malformed($"Input '{ImageBytesInput}' of shape [{count}] needs {count} base64 strings, not {data.Count} elements.");
        }

        var maxBytes = image.Value.MaxImageBytes;
        for (var index = 0; index < count; index++)
        {
            if (data.Bytes[index].Length > maxBytes)
            {
                throw Problems.PayloadTooLarge.Failure($"Image {index} of '{ImageBytesInput}' is larger than FETCH_MAX_BYTES ({maxBytes} bytes).");
            }
        }

        return (await preprocessor.PrepareBatchAsync(data.Bytes, spec, cancellationToken), count);
    }

    private static void RequireDatatype(RequestInput input, string datatype)
    {
        if (input.Datatype != datatype)
        {
            throw Malformed($"Input '{input.Name}' must be {datatype}, not {input.Datatype ?? "missing"}.");
        }
    }

    private static int CheckBatch(long count) => count switch
    {
        < 1 => throw Malformed("The batch dimension must be at least 1."),
        > MaxBatch => throw Problems.PayloadTooLarge.Failure($"At most {MaxBatch} images may be sent in one request, not {count}."),
        _ => (int)count,
    };
}
