using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ImageClassifier.Tests.Imaging;

/// <summary>Rectangle filling for test pictures (ImageSharp's Fill lives in ImageSharp.Drawing, not referenced).</summary>
internal static class Paint
{
    public static void Rectangle(Image<Rgb24> image, Rectangle area, Rgb24 colour)
    {
        for (var y = area.Top; y < area.Bottom; y++)
        {
            for (var x = area.Left; x < area.Right; x++)
            {
                image[x, y] = colour;
            }
        }
    }
}
