using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ImageClassifier.Imaging;

/// <summary>
/// Resize, crop or pad, channel order and normalisation in one pass over the pixels, straight
/// into the tensor: only the outputs the input's cells take are computed (see
/// <see cref="ResizeGeometry"/>), with the filter weights of <see cref="ResizeKernel"/>,
/// mapping the decoded pixels (perhaps decoded at a reduced scale) onto the geometry of the
/// whole image. Rows first: each source row the window needs is widened to floats once, into a
/// small pooled ring, and each output row is the weighted sum of its ring rows, with vectorised
/// span operations; then columns: each output pixel is the weighted sum of its taps in that row,
/// normalised as it is written into its channels. Nothing is allocated per request but the two
/// small kernels.
/// </summary>
internal sealed class TensorWriter : ITensorWriter
{
    /// <summary>Floats a widened pixel takes: red, green, blue and the ignored fourth byte, kept so rows widen a vector at a time.</summary>
    private const int PixelFloats = DecodedImage.BytesPerPixel;

    private static readonly Vector128<float> Luma = Vector128.Create(PreprocessingSpec.LumaRed, PreprocessingSpec.LumaGreen, PreprocessingSpec.LumaBlue, 0);

    public void Write(DecodedImage image, PreprocessingSpec spec, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        if (destination.Length != spec.TensorLength)
        {
            throw new ArgumentException($"The tensor holds {spec.TensorLength} floats.", nameof(destination));
        }

        var geometry = ResizeGeometry.For(image.FullWidth, image.FullHeight, spec);
        if (geometry.Padded(spec))
        {
            destination.Fill(spec.PadValue);
        }

        var covered = geometry.Covered;
        var columns = ResizeKernel.For(image.ScaledWidth, geometry.Resized.Width, geometry.Window.X, covered.Width, spec.Resample);
        var rows = ResizeKernel.For(image.ScaledHeight, geometry.Resized.Height, geometry.Window.Y, covered.Height, spec.Resample);
        var output = new Output(spec, geometry);

        // The source columns the window reads, as four floats a pixel.
        var firstColumn = columns.StartOf(0);
        var rowLength = (columns.End - firstColumn) * PixelFloats;
        var read = new PixelRegion(firstColumn, rows.StartOf(0), columns.End - firstColumn, rows.End - rows.StartOf(0));
        if (!image.Region.Contains(read))
        {
            throw new ArgumentException($"The image holds {image.Region} of its pixels, not all of the {read} the resize reads.", nameof(image));
        }

        // Rows are read in order and each output row reads at most rows.MaxTaps of them, so a ring that long is enough.
        var ringRows = rows.MaxTaps;

        // The blended row, then zero pixels for the taps of weight 0 the last outputs read past its end.
        var padding = (columns.MaxTaps - 1) * PixelFloats;
        var buffer = ArrayPool<float>.Shared.Rent(((ringRows + 1) * rowLength) + padding);
        try
        {
            var ring = buffer.AsSpan(0, ringRows * rowLength);
            var blendedRow = buffer.AsSpan(ringRows * rowLength, rowLength + padding);
            blendedRow[rowLength..].Clear();
            var blended = blendedRow[..rowLength];
            var nextRow = 0;
            for (var y = 0; y < covered.Height; y++)
            {
                var start = rows.StartOf(y);
                var weights = rows.WeightsOf(y);
                for (nextRow = Math.Max(nextRow, start); nextRow < start + weights.Length; nextRow++)
                {
                    var pixels = image.Row(nextRow - image.Region.Top).Slice((firstColumn - image.Region.Left) * PixelFloats, rowLength);
                    Widen(pixels, ring.Slice(nextRow % ringRows * rowLength, rowLength));
                }

                TensorPrimitives.Multiply(ring.Slice(start % ringRows * rowLength, rowLength), weights[0], blended);
                for (var tap = 1; tap < weights.Length; tap++)
                {
                    TensorPrimitives.MultiplyAdd(ring.Slice((start + tap) % ringRows * rowLength, rowLength), weights[tap], blended, blended);
                }

                var row = MemoryMarshal.Cast<float, Vector128<float>>(blendedRow);
                switch (columns.MaxTaps)
                {
                    case 2:
                        WriteRow<TwoTaps>(row, columns, firstColumn, output, destination, y);
                        break;
                    case 3:
                        WriteRow<ThreeTaps>(row, columns, firstColumn, output, destination, y);
                        break;
                    case 4:
                        WriteRow<FourTaps>(row, columns, firstColumn, output, destination, y);
                        break;
                    default:
                        WriteRow<AnyTaps>(row, columns, firstColumn, output, destination, y);
                        break;
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    public PixelRegion Reads((int Width, int Height) scaled, (int Width, int Height) full, PreprocessingSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var geometry = ResizeGeometry.For(full.Width, full.Height, spec);
        var (left, right) = ResizeKernel.Span(scaled.Width, geometry.Resized.Width, geometry.Window.X, geometry.Covered.Width, spec.Resample);
        var (top, bottom) = ResizeKernel.Span(scaled.Height, geometry.Resized.Height, geometry.Window.Y, geometry.Covered.Height, spec.Resample);
        return new PixelRegion(left, top, right - left, bottom - top);
    }

    /// <summary>
    /// Filters one blended row to the window's columns and writes it, normalised, into the tensor's
    /// channels: a pixel's red, green, blue and ignored fourth float are one 128-bit vector, so each
    /// tap is one multiply-add. Every output pixel takes <see cref="ResizeKernel.MaxTaps"/> taps, the
    /// ones past its own weighing 0, so the loop never branches on a pixel's tap count (the row
    /// ends in that many zero pixels). Into separate planes (NCHW), four pixels at a time are turned
    /// into one vector of each channel, normalised and stored whole.
    /// </summary>
    private static void WriteRow<TTaps>(
        ReadOnlySpan<Vector128<float>> blended, ResizeKernel columns, int firstColumn, in Output output, Span<float> destination, int y)
        where TTaps : ITaps
    {
        var taps = columns.MaxTaps;
        var stride = columns.Stride;
        var weights = columns.AllWeights;
        var starts = columns.Starts;
        var width = output.Width;
        var first = output.FirstPixelOf(y);
        var step = output.PixelStride;
        var (redAt, greenAt, blueAt) = output.Offsets;
        var multipliers = output.Multipliers;
        var shifts = output.Shifts;
        var x = 0;
        if (output.Channels != ChannelOrder.Grey && step == 1 && Sse.IsSupported)
        {
            var (redMultiplier, greenMultiplier, blueMultiplier) = (Vector128.Create(multipliers[0]), Vector128.Create(multipliers[1]), Vector128.Create(multipliers[2]));
            var (redShift, greenShift, blueShift) = (Vector128.Create(shifts[0]), Vector128.Create(shifts[1]), Vector128.Create(shifts[2]));
            for (; x <= width - 4; x += 4)
            {
                var pixel0 = TTaps.Sum(blended, weights.Slice(x * stride), starts[x] - firstColumn, taps);
                var pixel1 = TTaps.Sum(blended, weights.Slice((x + 1) * stride), starts[x + 1] - firstColumn, taps);
                var pixel2 = TTaps.Sum(blended, weights.Slice((x + 2) * stride), starts[x + 2] - firstColumn, taps);
                var pixel3 = TTaps.Sum(blended, weights.Slice((x + 3) * stride), starts[x + 3] - firstColumn, taps);

                // Four pixels' (r, g, b, _) to (r0, r1, r2, r3), (g0 … g3) and (b0 … b3).
                var redGreen01 = Sse.UnpackLow(pixel0, pixel1);
                var redGreen23 = Sse.UnpackLow(pixel2, pixel3);
                var blue01 = Sse.UnpackHigh(pixel0, pixel1);
                var blue23 = Sse.UnpackHigh(pixel2, pixel3);
                var at = first + x;
                Vector128.FusedMultiplyAdd(Sse.MoveLowToHigh(redGreen01, redGreen23), redMultiplier, redShift).CopyTo(destination.Slice(at + redAt, 4));
                Vector128.FusedMultiplyAdd(Sse.MoveHighToLow(redGreen23, redGreen01), greenMultiplier, greenShift).CopyTo(destination.Slice(at + greenAt, 4));
                Vector128.FusedMultiplyAdd(Sse.MoveLowToHigh(blue01, blue23), blueMultiplier, blueShift).CopyTo(destination.Slice(at + blueAt, 4));
            }
        }

        for (var pixel = first + (x * step); x < width; x++, pixel += step)
        {
            var sum = TTaps.Sum(blended, weights.Slice(x * stride), starts[x] - firstColumn, taps);
            if (output.Channels == ChannelOrder.Grey)
            {
                // Luma is linear, so taking it after the resize equals resizing the luma.
                destination[pixel] = MathF.FusedMultiplyAdd(Vector128.Dot(sum, Luma), output.Multiplier0, output.Shift0);
                continue;
            }

            var normalised = Vector128.FusedMultiplyAdd(sum, multipliers, shifts);
            destination[pixel + redAt] = normalised.GetElement(0);
            destination[pixel + greenAt] = normalised.GetElement(1);
            destination[pixel + blueAt] = normalised.GetElement(2);
        }
    }

    /// <summary>
    /// One output pixel: <c>count</c> taps from pixel <c>start</c> of the blended row on, weighed by
    /// the first <c>count</c> of <c>weights</c>. The common counts are written out, a fused
    /// multiply-add a tap with no loop, and read the highest tap first so the rest need no bounds check.
    /// </summary>
    private interface ITaps
    {
        static abstract Vector128<float> Sum(ReadOnlySpan<Vector128<float>> blended, ReadOnlySpan<float> weights, int start, int count);
    }

    private readonly struct TwoTaps : ITaps
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Sum(ReadOnlySpan<Vector128<float>> blended, ReadOnlySpan<float> weights, int start, int count)
        {
            var pixels = blended.Slice(start, 2);
            return Vector128.FusedMultiplyAdd(pixels[1], Vector128.Create(weights[1]), pixels[0] * weights[0]);
        }
    }

    private readonly struct ThreeTaps : ITaps
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Sum(ReadOnlySpan<Vector128<float>> blended, ReadOnlySpan<float> weights, int start, int count)
        {
            var pixels = blended.Slice(start, 3);
            return Vector128.FusedMultiplyAdd(pixels[2], Vector128.Create(weights[2]), Vector128.FusedMultiplyAdd(pixels[1], Vector128.Create(weights[1]), pixels[0] * weights[0]));
        }
    }

    private readonly struct FourTaps : ITaps
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Sum(ReadOnlySpan<Vector128<float>> blended, ReadOnlySpan<float> weights, int start, int count)
        {
            var pixels = blended.Slice(start, 4);
            return Vector128.FusedMultiplyAdd(
                pixels[3],
                Vector128.Create(weights[3]),
                Vector128.FusedMultiplyAdd(pixels[2], Vector128.Create(weights[2]), Vector128.FusedMultiplyAdd(pixels[1], Vector128.Create(weights[1]), pixels[0] * weights[0])));
        }
    }

    private readonly struct AnyTaps : ITaps
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Sum(ReadOnlySpan<Vector128<float>> blended, ReadOnlySpan<float> weights, int start, int count)
        {
            var sum = blended[start] * weights[0];
            for (var tap = 1; tap < count; tap++)
            {
                sum = Vector128.FusedMultiplyAdd(blended[start + tap], Vector128.Create(weights[tap]), sum);
            }

            return sum;
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
    /// Where each output pixel goes and how its channels are normalised: (v × scale − mean) / std
    /// per tensor channel, as v × multiplier + shift.
    /// </summary>
    private readonly struct Output
    {
        private readonly int inputWidth;
        private readonly int placedX;
        private readonly int placedY;

        public Output(PreprocessingSpec spec, ResizeGeometry geometry)
        {
            inputWidth = spec.Width;
            (placedX, placedY) = geometry.Placed;
            Width = geometry.Covered.Width;
            Channels = spec.Channels;
            var count = spec.ChannelCount;
            (PixelStride, ChannelStride) = spec.Layout == TensorLayout.Nhwc ? (count, 1) : (1, spec.Width * spec.Height);
            (Multiplier0, Shift0) = Normalisation(spec, 0);
            if (count == 3)
            {
                var (multiplier1, shift1) = Normalisation(spec, 1);
                var (multiplier2, shift2) = Normalisation(spec, 2);

                // In the pixel's order (red, green, blue): which tensor channel each goes to, and its normalisation.
                var channel = ChannelStride;
                (Offsets, Multipliers, Shifts) = spec.Channels == ChannelOrder.Bgr
                    ? ((2 * channel, channel, 0), Vector128.Create(multiplier2, multiplier1, Multiplier0, 0), Vector128.Create(shift2, shift1, Shift0, 0))
                    : ((0, channel, 2 * channel), Vector128.Create(Multiplier0, multiplier1, multiplier2, 0), Vector128.Create(Shift0, shift1, shift2, 0));
            }
        }

        /// <summary>Output pixels a row.</summary>
        public int Width { get; }

        public ChannelOrder Channels { get; }

        /// <summary>Floats from one pixel's first channel to the next pixel's.</summary>
        public int PixelStride { get; }

        /// <summary>Floats from one channel of a pixel to its next.</summary>
        public int ChannelStride { get; }

        /// <summary>The first tensor channel's normalisation (the only one for grey).</summary>
        public float Multiplier0 { get; }

        public float Shift0 { get; }

        /// <summary>Floats from a pixel's first channel to where its red, green and blue go.</summary>
        public (int Red, int Green, int Blue) Offsets { get; }

        /// <summary>Each of red, green and blue's multiplier, in that order, and 0 for the fourth float.</summary>
        public Vector128<float> Multipliers { get; }

        public Vector128<float> Shifts { get; }

        /// <summary>Where the first channel of row <paramref name="y"/>'s first output pixel goes.</summary>
        public int FirstPixelOf(int y) => (((placedY + y) * inputWidth) + placedX) * PixelStride;

        private static (float Multiplier, float Shift) Normalisation(PreprocessingSpec spec, int channel) =>
            (spec.ScaleOf(channel) / spec.Std[channel], -spec.Mean[channel] / spec.Std[channel]);
    }
}
