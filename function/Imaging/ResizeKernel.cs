namespace ImageClassifier.Imaging;

/// <summary>
/// The weights of a resize along one axis, for the output positions of the crop window only.
/// The maths is PIL's (and ImageSharp's <c>ResizeKernelMap</c>): when shrinking, the filter is
/// widened by the shrink ratio so every source pixel counts, each output position's taps are
/// clamped to the image and their weights sum to 1. Bilinear is the triangle filter; bicubic
/// PIL's (a = −0.5) and Lanczos its 3-lobed one, whose negative lobes may take a value a little
/// outside 0–255 (not clamped: the tensor is float); nearest takes the one source pixel whose
/// area holds the output's centre.
/// </summary>
internal sealed class ResizeKernel
{
    private readonly int[] starts;
    private readonly int[] counts;
    private readonly float[] weights;
    private readonly int stride;

    private ResizeKernel(int[] starts, int[] counts, float[] weights, int stride, int maxTaps)
    {
        this.starts = starts;
        this.counts = counts;
        this.weights = weights;
        this.stride = stride;
        MaxTaps = maxTaps;
    }

    /// <summary>The most source positions any output position reads.</summary>
    public int MaxTaps { get; }

    /// <summary>
    /// Weights for output positions <paramref name="offset"/> … offset + <paramref name="length"/> − 1
    /// of a resize from <paramref name="sourceLength"/> to <paramref name="resizedLength"/>.
    /// </summary>
    public static ResizeKernel For(int sourceLength, int resizedLength, int offset, int length, Resample resample = Resample.Bilinear)
    {
        var ratio = (double)sourceLength / resizedLength;
        if (resample == Resample.Nearest)
        {
            return Nearest(sourceLength, ratio, offset, length);
        }

        var (scale, radius) = Reach(resample, ratio);
        var stride = (int)(2 * radius) + 1;
        var starts = new int[length];
        var counts = new int[length];
        var weights = new float[length * stride];
        var maxTaps = 1;

        for (var i = 0; i < length; i++)
        {
            var centre = Centre(offset + i, ratio);
            var (left, right) = Taps(centre, radius, sourceLength);
            var row = weights.AsSpan(i * stride, stride);
            var sum = 0.0;
            for (var j = left; j <= right; j++)
            {
                var weight = Filter(resample, (j - centre) / scale);
                row[j - left] = (float)weight;
                sum += weight;
            }

            // Taps of weight 0 at either end (every tap but one when the sizes are equal) cost work and change nothing.
            var first = 0;
            var last = right - left;
            while (first < last && row[first] == 0)
            {
                first++;
            }

            while (last > first && row[last] == 0)
            {
                last--;
            }

            var count = last - first + 1;
            for (var k = 0; k < count; k++)
            {
                row[k] = sum > 0 ? (float)(row[first + k] / sum) : row[first + k];
            }

            row[count..].Clear();
            starts[i] = left + first;
            counts[i] = count;
            maxTaps = Math.Max(maxTaps, count);
        }

        return new ResizeKernel(starts, counts, weights, stride, maxTaps);
    }

    /// <summary>
    /// The source positions [start, end) that output positions <paramref name="offset"/> …
    /// offset + <paramref name="length"/> − 1 may read: what <see cref="For"/> gives them, or a
    /// little more (it drops taps of weight 0), worked out without the weights.
    /// </summary>
    public static (int Start, int End) Span(int sourceLength, int resizedLength, int offset, int length, Resample resample = Resample.Bilinear)
    {
        var ratio = (double)sourceLength / resizedLength;
        if (resample == Resample.Nearest)
        {
            return (NearestOf(offset, ratio, sourceLength), NearestOf(offset + length - 1, ratio, sourceLength) + 1);
        }

        var (_, radius) = Reach(resample, ratio);
        return (Taps(Centre(offset, ratio), radius, sourceLength).Left, Taps(Centre(offset + length - 1, ratio), radius, sourceLength).Right + 1);
    }

    /// <summary>How far the filter is widened (the shrink ratio, at least 1) and how many source pixels it reaches either side.</summary>
    private static (double Scale, double Radius) Reach(Resample resample, double ratio)
    {
        var support = resample switch
        {
            Resample.Bicubic => 2,
            Resample.Lanczos => 3,
            _ => 1,
        };
        var scale = Math.Max(ratio, 1);
        return (scale, Math.Ceiling(support * scale));
    }

    /// <summary>Output position <paramref name="index"/>'s centre, in source pixels.</summary>
    private static double Centre(int index, double ratio) => ((index + 0.5) * ratio) - 0.5;

    /// <summary>The first and last source position within <paramref name="radius"/> of <paramref name="centre"/>.</summary>
    private static (int Left, int Right) Taps(double centre, double radius, int sourceLength) =>
        (Math.Max(0, (int)Math.Ceiling(centre - radius)), Math.Min(sourceLength - 1, (int)Math.Floor(centre + radius)));

    private static int NearestOf(int index, double ratio, int sourceLength) => Math.Min(sourceLength - 1, (int)Math.Floor((index + 0.5) * ratio));

    /// <summary>The filter's value at distance <paramref name="x"/> (in source pixels, unwidened).</summary>
    private static double Filter(Resample resample, double x)
    {
        x = Math.Abs(x);
        switch (resample)
        {
            case Resample.Bicubic:
                const double A = -0.5;
                return x < 1 ? (((A + 2) * x) - (A + 3)) * x * x + 1
                    : x < 2 ? (((((A * x) - (5 * A)) * x) + (8 * A)) * x) - (4 * A)
                    : 0;
            case Resample.Lanczos:
                // Exactly 0 at the other whole pixels (Math.Sin(π·k) is not), so equal sizes copy.
                return x >= 3 || (x > 0 && x == Math.Floor(x)) ? 0 : Sinc(x) * Sinc(x / 3);
            default:
                return Math.Max(0, 1 - x);
        }
    }

    private static double Sinc(double x) => x == 0 ? 1 : Math.Sin(Math.PI * x) / (Math.PI * x);

    /// <summary>One tap a position: the source pixel at floor((position + 0.5) × ratio), as PIL's nearest.</summary>
    private static ResizeKernel Nearest(int sourceLength, double ratio, int offset, int length)
    {
        var starts = new int[length];
        var counts = new int[length];
        var weights = new float[length];
        for (var i = 0; i < length; i++)
        {
            starts[i] = NearestOf(offset + i, ratio, sourceLength);
            counts[i] = 1;
            weights[i] = 1;
        }

        return new ResizeKernel(starts, counts, weights, 1, 1);
    }

    /// <summary>One past the last source position any output position reads.</summary>
    public int End => starts[^1] + counts[^1];

    /// <summary>The weights laid out <see cref="Stride"/> apart, output position after output position.</summary>
    public ReadOnlySpan<float> AllWeights => weights;

    /// <summary>Floats from one output position's weights to the next's in <see cref="AllWeights"/>.</summary>
    public int Stride => stride;

    /// <summary>The first source position output <paramref name="index"/> reads.</summary>
    public int StartOf(int index) => starts[index];

    /// <summary>Each output position's first source position, in order.</summary>
    public ReadOnlySpan<int> Starts => starts;

    /// <summary>The weights of output <paramref name="index"/>'s taps, from <see cref="StartOf"/> on.</summary>
    public ReadOnlySpan<float> WeightsOf(int index) => weights.AsSpan(index * stride, counts[index]);
}
