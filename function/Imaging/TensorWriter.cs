using ImageClassifier.Inference;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace ImageClassifier.Imaging;

/// <summary>
/// Resizes and centre-crops in one ImageSharp resize (see <see cref="CentreCrop"/>), then writes
/// the window's pixels as normalised R, G and B planes straight into the tensor.
/// </summary>
internal sealed class TensorWriter : ITensorWriter
{
    public void Write(Image<Rgb24> image, PreprocessingSpec spec, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.CropSize > spec.ResizeShorterSide)
        {
            throw new ArgumentException("The crop must fit inside the resized image.", nameof(spec));
        }

        if (destination.Length != spec.TensorLength)
        {
            throw new ArgumentException($"The tensor holds {spec.TensorLength} floats.", nameof(destination));
        }

        var crop = CentreCrop.For(new Size(image.Width, image.Height), spec);
        if (crop.Resized == new Size(image.Width, image.Height))
        {
            WritePlanes(image, crop.Offset, spec, destination);
            return;
        }

        using var window = image.Clone(x => x.Resize(ResizeIntoWindow(crop, spec.CropSize)));
        WritePlanes(window, Point.Empty, spec, destination);
    }

    /// <summary>
    /// Draws the whole resized image at minus the crop offset on a crop × crop canvas, so only
    /// the window's pixels are computed, each exactly as a full resize would compute it.
    /// </summary>
    private static ResizeOptions ResizeIntoWindow(CentreCrop crop, int cropSize) => new()
    {
        Mode = ResizeMode.Manual,
        Size = new Size(cropSize, cropSize),
        TargetRectangle = new Rectangle(new Point(-crop.Offset.X, -crop.Offset.Y), crop.Resized),
        // Bilinear, as PIL and torchvision resize for these models.
        Sampler = KnownResamplers.Triangle,
    };

    private static void WritePlanes(Image<Rgb24> image, Point offset, PreprocessingSpec spec, Span<float> destination)
    {
        var size = spec.CropSize;
        var area = size * size;
        var red = destination[..area];
        var green = destination.Slice(area, area);
        var blue = destination.Slice(2 * area, area);
        var (meanR, meanG, meanB) = (spec.Mean[0], spec.Mean[1], spec.Mean[2]);
        var (stdR, stdG, stdB) = (spec.Std[0], spec.Std[1], spec.Std[2]);

        for (var y = 0; y < size; y++)
        {
            var row = image.DangerousGetPixelRowMemory(offset.Y + y).Span.Slice(offset.X, size);
            var start = y * size;
            for (var x = 0; x < size; x++)
            {
                var pixel = row[x];
                red[start + x] = ((pixel.R / 255f) - meanR) / stdR;
                green[start + x] = ((pixel.G / 255f) - meanG) / stdG;
                blue[start + x] = ((pixel.B / 255f) - meanB) / stdB;
            }
        }
    }
}
