using ImageClassifier.Imaging;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using ResizeMode = ImageClassifier.Imaging.ResizeMode;

namespace ImageClassifier.Tests.Imaging;

/// <summary>
/// A JPEG is decoded only in the part the resize reads, and that changes no value of the tensor:
/// at every DCT scale, sampling, orientation and resize, the tensor from the part equals, float
/// for float, the tensor from a decode of the whole image at the same scale.
/// </summary>
public sealed class RegionDecodeTests
{
    private static readonly SkiaImageLoader Loader = new(Options.Create(new ImagingOptions()));
    private static readonly TensorWriter Writer = new();

    /// <summary>Sizes that the ImageNet spec decodes at 1/8, 1/4, 1/2 and whole (where libjpeg blends chroma across pixels), odd ones among them.</summary>
    public static TheoryData<int, int, JpegColorType> Samplings
    {
        get
        {
            var data = new TheoryData<int, int, JpegColorType>();
            foreach (var (width, height) in new[] { (2600, 2100), (1400, 1061), (701, 557), (301, 263) })
            {
                foreach (var colour in new[] { JpegColorType.YCbCrRatio420, JpegColorType.YCbCrRatio422, JpegColorType.YCbCrRatio444, JpegColorType.Luminance })
                {
                    data.Add(width, height, colour);
                }
            }

            return data;
        }
    }

    public static TheoryData<int, int, int> Orientations
    {
        get
        {
            var data = new TheoryData<int, int, int>();
            foreach (var (width, height) in new[] { (701, 557), (301, 263) })
            {
                for (var orientation = 1; orientation <= 8; orientation++)
                {
                    data.Add(width, height, orientation);
                }
            }

            return data;
        }
    }

    /// <summary>
    /// Crops of other sizes and filters (32 x 32 shrinks rows as they arrive too, where the margin
    /// leaves out only rows), and the resizes that read the whole image.
    /// </summary>
    public static TheoryData<string> Specs => new() { "imagenet", "cifar", "bicubic", "lanczos", "nearest", "wide", "stretch", "pad" };

    [Theory]
    [MemberData(nameof(Samplings))]
    public void Each_scale_and_sampling_gives_the_whole_decodes_tensor(int width, int height, JpegColorType colour)
    {
        var jpeg = Photo(width, height, colour);

        var part = AssertSameTensor(jpeg, PreprocessingSpec.ImageNet);

        Assert.True(part.Width < part.Scaled.Width && part.Height < part.Scaled.Height, $"decoded {part} of {part.Scaled}");
    }

    [Theory]
    [MemberData(nameof(Orientations))]
    public void Each_orientation_gives_the_whole_decodes_tensor(int width, int height, int orientation)
    {
        var jpeg = Photo(width, height, JpegColorType.YCbCrRatio420, orientation);

        var part = AssertSameTensor(jpeg, PreprocessingSpec.ImageNet);

        Assert.True(part.Width < part.Scaled.Width && part.Height < part.Scaled.Height, $"decoded {part} of {part.Scaled}");
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void Each_resize_gives_the_whole_decodes_tensor(string name)
    {
        var spec = name switch
        {
            "cifar" => PreprocessingSpec.ImageNet with { ResizeShorterSide = 36, Width = 32, Height = 32 },
            "bicubic" => PreprocessingSpec.ImageNet with { Resample = Resample.Bicubic },
            "lanczos" => PreprocessingSpec.ImageNet with { Resample = Resample.Lanczos },
            "nearest" => PreprocessingSpec.ImageNet with { Resample = Resample.Nearest },
            "wide" => PreprocessingSpec.ImageNet with { ResizeShorterSide = 320, Width = 299, Height = 160 },
            "stretch" => PreprocessingSpec.ImageNet with { Resize = ResizeMode.Stretch },
            "pad" => PreprocessingSpec.ImageNet with { Resize = ResizeMode.Pad },
            _ => PreprocessingSpec.ImageNet,
        };

        var part = AssertSameTensor(Photo(2600, 2100, JpegColorType.YCbCrRatio420, orientation: 6), spec);

        if (spec.Resize == ResizeMode.Crop)
        {
            Assert.True(part.Width * part.Height < part.Scaled.Width * part.Scaled.Height, $"decoded {part} of {part.Scaled}");
        }
    }

    [Theory]
    [InlineData("coffee-progressive.jpg")]
    [InlineData("coffee-baseline.jpg")]
    [InlineData("rocket.jpg")]
    public void A_sample_gives_the_whole_decodes_tensor(string name) =>
        AssertSameTensor(TestImages.Read(name), PreprocessingSpec.ImageNet);

    [Fact]
    public void A_progressive_camera_photo_gives_the_whole_decodes_tensor() =>
        AssertSameTensor(File.ReadAllBytes(SharedModels.CommunityFile("keras-cifar10-cnn", "sample_car.jpg")), PreprocessingSpec.ImageNet);

    [Fact]
    public void A_progressive_photo_at_an_eighth_gives_the_same_tensor_without_its_later_luma_ac_scans()
    {
        // The car's ten scans: DC, luma AC 1-5, chroma AC, luma AC 6-63, a luma AC refinement,
        // the DC refinement, chroma refinements, the last luma AC refinement. At 1/8 the luma is
        // transformed from its DC alone, so the three later luma AC scans are not needed.
        var jpeg = File.ReadAllBytes(SharedModels.CommunityFile("keras-cifar10-cnn", "sample_car.jpg"));
        var header = Loader.Identify(jpeg, PreprocessingSpec.ImageNet.ResizedSize);

        Assert.Equal(3, header.Plan.SkippedScans.Count);
        AssertSameTensorWithAllScans(header, PreprocessingSpec.ImageNet);
    }

    [Fact]
    public void A_small_progressive_jpeg_at_an_eighth_gives_the_same_tensor_without_its_later_ac_scans()
    {
        var spec = PreprocessingSpec.ImageNet with { ResizeShorterSide = 48, Width = 40, Height = 40 };
        var header = Loader.Identify(TestImages.Read("coffee-progressive.jpg"), spec.ResizedSize);

        Assert.NotEmpty(header.Plan.SkippedScans);
        AssertSameTensorWithAllScans(header, spec);
    }

    [Fact]
    public void A_progressive_photo_decoded_above_an_eighth_keeps_every_scan()
    {
        var spec = PreprocessingSpec.ImageNet with { ResizeShorterSide = 600, Width = 512, Height = 512 };
        var header = Loader.Identify(File.ReadAllBytes(SharedModels.CommunityFile("keras-cifar10-cnn", "sample_car.jpg")), spec.ResizedSize);

        Assert.True(header.Plan.DecodeWidth > (header.Width + 7) / 8, "decoded at 1/8");
        Assert.Empty(header.Plan.SkippedScans);
    }

    [Fact]
    public void A_baseline_jpeg_skips_no_scan() =>
        Assert.Empty(Loader.Identify(Photo(2600, 2100, JpegColorType.YCbCrRatio420), PreprocessingSpec.ImageNet.ResizedSize).Plan.SkippedScans);

    /// <summary>The tensor as planned, against the one from every scan of the image.</summary>
    private static void AssertSameTensorWithAllScans(ImageHeader header, PreprocessingSpec spec)
    {
        var planned = new float[spec.TensorLength];
        var everyScan = new float[spec.TensorLength];
        var needed = Writer.Reads(header.Scaled, header.Facts.Upright, spec);
        using (var pixels = Loader.Load(header, needed, DecodedImages.NoDeadline))
        {
            Writer.Write(pixels, spec, planned);
        }

        using (var pixels = Loader.Load(header with { Plan = header.Plan with { SkippedScans = [] } }, needed, DecodedImages.NoDeadline))
        {
            Writer.Write(pixels, spec, everyScan);
        }

        Assert.Equal(everyScan, planned);
    }

    /// <summary>
    /// The tensor of the part the writer reads, against that of the whole image decoded at the same
    /// scale; returns the part decoded, and the whole's size.
    /// </summary>
    private static (int Width, int Height, (int Width, int Height) Scaled) AssertSameTensor(byte[] jpeg, PreprocessingSpec spec)
    {
        var header = Loader.Identify(jpeg, spec.ResizedSize);
        var whole = new float[spec.TensorLength];
        var fromPart = new float[spec.TensorLength];
        using (var pixels = Loader.Load(header, DecodedImages.NoDeadline))
        {
            Assert.Equal(header.Scaled, (pixels.Width, pixels.Height));
            Writer.Write(pixels, spec, whole);
        }

        using var part = Loader.Load(header, Writer.Reads(header.Scaled, header.Facts.Upright, spec), DecodedImages.NoDeadline);
        Writer.Write(part, spec, fromPart);

        var differing = Enumerable.Range(0, whole.Length).Where(i => whole[i] != fromPart[i]).ToList();
        Assert.True(differing.Count == 0, $"{differing.Count} of {whole.Length} values differ, the first at {differing.FirstOrDefault()}: {whole[differing.FirstOrDefault()]} against {fromPart[differing.FirstOrDefault()]}");
        return (part.Width, part.Height, header.Scaled);
    }

    /// <summary>A real photo (chelsea.png) brought to the size, saved as a quality-90 JPEG, with the EXIF orientation given.</summary>
    private static byte[] Photo(int width, int height, JpegColorType colour, int orientation = ExifOrientation.Normal)
    {
        using var image = Image.Load<Rgb24>(TestImages.Read("chelsea.png"));
        image.Mutate(x => x.Resize(width, height));
        if (orientation != ExifOrientation.Normal)
        {
            image.Metadata.ExifProfile = new ExifProfile();
            image.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)orientation);
        }

        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream, new JpegEncoder { Quality = 90, ColorType = colour });
        return stream.ToArray();
    }
}
