using ImageClassifier.Imaging;

namespace ImageClassifier.Tests.Imaging;

/// <summary>
/// The preprocessing written the plain way, in doubles, as an independent reference for the
/// tensor writer: the whole image resized with an antialiased triangle filter (PIL's bilinear:
/// each source pixel centre weighted by its distance to the output pixel's centre mapped back,
/// the filter widened by the shrink ratio, the weights normalised), then the given window taken,
/// each value (v × scale − mean) / std, written at [channel, y, x] of an RGB NCHW tensor.
/// The geometry is given by the test, worked out by hand.
/// </summary>
internal static class NaiveResize
{
    /// <summary>The RGB value of resized pixel (x, y), 0–255, resizing <paramref name="image"/> to <paramref name="resizedWidth"/> × <paramref name="resizedHeight"/>.</summary>
    public static double[,,] Resize(DecodedImage image, int resizedWidth, int resizedHeight, int left, int top, int width, int height)
    {
        var columns = Weights(image.Width, resizedWidth, left, width);
        var rows = Weights(image.Height, resizedHeight, top, height);
        var result = new double[3, height, width];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                for (var j = 0; j < image.Height; j++)
                {
                    var wy = rows[y, j];
                    var row = image.Row(j);
                    for (var i = 0; i < image.Width && wy != 0; i++)
                    {
                        var w = wy * columns[x, i];
                        if (w == 0)
                        {
                            continue;
                        }

                        for (var c = 0; c < 3; c++)
                        {
                            result[c, y, x] += w * row[(4 * i) + c];
                        }
                    }
                }
            }
        }

        return result;
    }

    /// <summary>Resized and normalised as <see cref="PreprocessingSpec.ImageNet"/> says, into an NCHW tensor.</summary>
    public static double[] ImageNetTensor(DecodedImage image, int resizedWidth, int resizedHeight, int left, int top)
    {
        double[] mean = [0.485, 0.456, 0.406];
        double[] std = [0.229, 0.224, 0.225];
        const int Size = 224;
        var resized = Resize(image, resizedWidth, resizedHeight, left, top, Size, Size);
        var tensor = new double[3 * Size * Size];
        for (var c = 0; c < 3; c++)
        {
            for (var y = 0; y < Size; y++)
            {
                for (var x = 0; x < Size; x++)
                {
                    tensor[(c * Size * Size) + (y * Size) + x] = ((resized[c, y, x] / 255) - mean[c]) / std[c];
                }
            }
        }

        return tensor;
    }

    /// <summary>weights[o, i]: how much source pixel i counts in output o + offset.</summary>
    private static double[,] Weights(int source, int resized, int offset, int length)
    {
        var ratio = (double)source / resized;
        var support = Math.Max(ratio, 1);
        var weights = new double[length, source];
        for (var o = 0; o < length; o++)
        {
            var centre = (offset + o + 0.5) * ratio;
            var sum = 0.0;
            for (var i = 0; i < source; i++)
            {
                var weight = Math.Max(0, 1 - (Math.Abs(i + 0.5 - centre) / support));
                weights[o, i] = weight;
                sum += weight;
            }

            for (var i = 0; i < source; i++)
            {
                weights[o, i] /= sum;
            }
        }

        return weights;
    }
}
