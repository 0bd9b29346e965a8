using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using SixLabors.ImageSharp;

namespace ImageClassifier.Imaging;

/// <summary>
/// Resize, centre crop and normalisation in one pass over the pixels, straight into the
/// tensor's R, G and B planes: only the crop window's outputs are computed (see
/// <see cref="CentreCrop"/>), with the bilinear weights of <see cref="ResizeKernel"/>. Rows
/// first: each source row the window needs is widened to floats once, into a small pooled ring,
/// and each output row is the weighted sum of its ring rows, with vectorised span operations;
/// then columns: each output pixel is the weighted sum of its taps in that row, normalised as it
/// is written into the three planes. Nothing is allocated per request but the two small kernels.
/// </summary>
internal sealed class TensorWriter : ITensorWriter
{
    private const int Channels = DecodedImage.BytesPerPixel;

    public void Write(DecodedImage image, PreprocessingSpec spec, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(spec);
        var normalisation = Normalisation.Of(spec, complemented: false);
        if (spec.CropSize > spec.ResizeShorterSide)
        {
            throw new ArgumentException("The crop must fit inside the resized image.", nameof(spec));
        }

        if (destination.Length != spec.TensorLength)
        {
            throw new ArgumentException($"The tensor holds {spec.TensorLength} floats.", nameof(destination));
        }

        var size = spec.CropSize;
        var crop = CentreCrop.For(new Size(image.FullWidth, image.FullHeight), spec);
        var columns = ResizeKernel.For(image.Width, crop.Resized.Width, crop.Offset.X, size);
        var rows = ResizeKernel.For(image.Height, crop.Resized.Height, crop.Offset.Y, size);

        // The source columns the window reads, as interleaved RGB floats.
        var firstColumn = columns.StartOf(0);
        var rowLength = (columns.End - firstColumn) * Channels;

        // Rows are read in order and each output row reads at most rows.MaxTaps of them, so a ring that long is enough.
        var ringRows = rows.MaxTaps;
        var buffer = ArrayPool<float>.Shared.Rent((ringRows + 1) * rowLength);
        try
        {
            var ring = buffer.AsSpan(0, ringRows * rowLength);
            var blended = buffer.AsSpan(ringRows * rowLength, rowLength);
            var nextRow = 0;
            for (var y = 0; y < size; y++)
            {
                var start = rows.StartOf(y);
                var weights = rows.WeightsOf(y);
                for (nextRow = Math.Max(nextRow, start); nextRow < start + weights.Length; nextRow++)
                {
                    var pixels = image.Row(nextRow).Slice(firstColumn * Channels, rowLength);
                    Widen(pixels, ring.Slice(nextRow % ringRows * rowLength, rowLength));
                }

                TensorPrimitives.Multiply(ring.Slice(start % ringRows * rowLength, rowLength), weights[0], blended);
                for (var tap = 1; tap < weights.Length; tap++)
                {
                    TensorPrimitives.MultiplyAdd(ring.Slice((start + tap) % ringRows * rowLength, rowLength), weights[tap], blended, blended);
                }

                WriteRow(blended, columns, firstColumn, normalisation, destination, y, size);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    /// <summary>Filters one blended row to the window's columns and writes it, normalised, into the three planes.</summary>
    private static void WriteRow(
        ReadOnlySpan<float> blended, ResizeKernel columns, int firstColumn, Normalisation normalisation,
        Span<float> destination, int y, int size)
    {
        var area = size * size;
        var rowStart = y * size;
        var red = destination.Slice(rowStart, size);
        var green = destination.Slice(area + rowStart, size);
        var blue = destination.Slice((2 * area) + rowStart, size);
        var allWeights = columns.AllWeights;
        var stride = columns.Stride;
        for (var x = 0; x < size; x++)
        {
            var count = columns.CountOf(x);
            var weights = allWeights.Slice(x * stride, stride);
            var taps = blended[((columns.StartOf(x) - firstColumn) * Channels)..];
            float r = 0, g = 0, b = 0;
            for (int tap = 0, at = 0; tap < count; tap++, at += Channels)
            {
                var weight = weights[tap];
                r += weight * taps[at];
                g += weight * taps[at + 1];
                b += weight * taps[at + 2];
            }

            red[x] = (r * normalisation.ScaleR) + normalisation.ShiftR;
            green[x] = (g * normalisation.ScaleG) + normalisation.ShiftG;
            blue[x] = (b * normalisation.ScaleB) + normalisation.ShiftB;
        }
    }

    /// <summary>Bytes to floats, a vector at a time (TensorPrimitives' generic conversion is not vectorised for this pair).</summary>
    private static void Widen(ReadOnlySpan<byte> source, Span<float> destination)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var floats = Vector<float>.Count;
            for (; i <= source.Length - Vector<byte>.Count; i += Vector<byte>.Count)
            {
                Vector.Widen(new Vector<byte>(source[i..]), out var low, out var high);
                Vector.Widen(low, out var first, out var second);
                Vector.Widen(high, out var third, out var fourth);
                Vector.ConvertToSingle(first).CopyTo(destination[i..]);
                Vector.ConvertToSingle(second).CopyTo(destination[(i + floats)..]);
                Vector.ConvertToSingle(third).CopyTo(destination[(i + (2 * floats))..]);
                Vector.ConvertToSingle(fourth).CopyTo(destination[(i + (3 * floats))..]);
            }
        }

        for (; i < source.Length; i++)
        {
            destination[i] = source[i];
        }
    }

    /// <summary>
    /// ((v / 255) − mean) / std per channel, as v × scale + shift; for complemented pixels, where
    /// the stored value is 255 − v, as stored × (−scale) + (255 × scale + shift).
    /// </summary>
    private readonly record struct Normalisation(float ScaleR, float ShiftR, float ScaleG, float ShiftG, float ScaleB, float ShiftB)
    {
        public static Normalisation Of(PreprocessingSpec spec, bool complemented)
        {
            var (scaleR, shiftR) = Channel(spec, 0, complemented);
            var (scaleG, shiftG) = Channel(spec, 1, complemented);
            var (scaleB, shiftB) = Channel(spec, 2, complemented);
            return new(scaleR, shiftR, scaleG, shiftG, scaleB, shiftB);
        }

        private static (float Scale, float Shift) Channel(PreprocessingSpec spec, int channel, bool complemented)
        {
            var scale = 1f / (255f * spec.Std[channel]);
            var shift = -spec.Mean[channel] / spec.Std[channel];
            return complemented ? (-scale, (255f * scale) + shift) : (scale, shift);
        }
    }
}
