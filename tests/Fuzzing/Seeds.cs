using ImageClassifier.Tests.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace ImageClassifier.Fuzzing;

/// <summary>
/// The starting corpus: the test images, shrunk (AFL works best on inputs of a few kilobytes)
/// and saved in every format the loader reads, and one sample request of every form.
/// </summary>
internal static class Seeds
{
    private const int SeedWidth = 24;

    private static readonly (string Extension, IImageEncoder Encoder)[] Encoders =
    [
        ("png", new PngEncoder()),
        ("jpg", new JpegEncoder { Quality = 75 }),
        ("gif", new GifEncoder()),
        ("lossy.webp", new WebpEncoder { FileFormat = WebpFileFormatType.Lossy }),
        ("lossless.webp", new WebpEncoder { FileFormat = WebpFileFormatType.Lossless }),
        ("bmp", new BmpEncoder()),
    ];

    public static void Write(string testImages, string eventSeeds, string imageSeeds)
    {
        Directory.CreateDirectory(eventSeeds);
        Directory.CreateDirectory(imageSeeds);
        WriteImages(testImages, imageSeeds);
        WriteEvents(eventSeeds, File.ReadAllBytes(Path.Combine(imageSeeds, "chelsea.png")));
    }

    private static void WriteImages(string testImages, string imageSeeds)
    {
        foreach (var path in Directory.EnumerateFiles(testImages).Where(p => p.EndsWith(".png", StringComparison.Ordinal) || p.EndsWith(".jpg", StringComparison.Ordinal)))
        {
            var name = Path.GetFileNameWithoutExtension(path);
            Image<Rgba32> image;
            try
            {
                image = Image.Load<Rgba32>(path);
            }
            catch (InvalidImageContentException)
            {
                // truncated.jpg: a seed as it is.
                File.Copy(path, Path.Combine(imageSeeds, Path.GetFileName(path)), overwrite: true);
                continue;
            }

            using (image)
            {
                image.Mutate(x => x.Resize(SeedWidth, 0));
                foreach (var (extension, encoder) in Encoders)
                {
                    image.Save(Path.Combine(imageSeeds, $"{name}.{extension}"), encoder);
                }

                image.Metadata.ExifProfile = new ExifProfile();
                image.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)6);
                image.Save(Path.Combine(imageSeeds, $"{name}.rotated.jpg"), new JpegEncoder());
            }
        }

        using var animation = new Image<Rgba32>(8, 8, Color.Red);
        using var second = new Image<Rgba32>(8, 8, Color.Blue);
        animation.Frames.AddFrame(second.Frames.RootFrame);
        animation.SaveAsGif(Path.Combine(imageSeeds, "animation.gif"));
        File.WriteAllBytes(Path.Combine(imageSeeds, "frames.gif"), HandMadeGif.WithFrames(64, 64, 20));
        File.WriteAllBytes(Path.Combine(imageSeeds, "animated.lossless.webp"), HandMadeAnimatedWebp.WithFrames(WebpFileFormatType.Lossless, Color.Red.ToPixel<Rgba32>(), Color.Blue.ToPixel<Rgba32>()));
        File.WriteAllBytes(Path.Combine(imageSeeds, "animated.lossy.webp"), HandMadeAnimatedWebp.WithFrames(WebpFileFormatType.Lossy, Color.Red.ToPixel<Rgba32>(), Color.Blue.ToPixel<Rgba32>()));
    }

    private static void WriteEvents(string eventSeeds, byte[] png)
    {
        foreach (var (name, input) in SampleRequests.All(png))
        {
            File.WriteAllBytes(Path.Combine(eventSeeds, name), input.ToBytes());
        }
    }
}
