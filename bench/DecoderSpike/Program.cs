// Decodes one JPEG to pixels with a shorter side of about 256 and prints their size: the time
// from launch to exit is the candidate's cold start.
var bytes = File.ReadAllBytes(args[0]);
#if IMAGESHARP
using var image = SixLabors.ImageSharp.Image.Load<SixLabors.ImageSharp.PixelFormats.Rgb24>(
    bytes, new SixLabors.ImageSharp.Formats.Jpeg.JpegDecoder { IgnoreMetadata = true });
var scale = 256.0 / Math.Min(image.Width, image.Height);
SixLabors.ImageSharp.Processing.ProcessingExtensions.Mutate(image, c => SixLabors.ImageSharp.Processing.ResizeExtensions.Resize(
    c, (int)Math.Round(image.Width * scale), (int)Math.Round(image.Height * scale)));
Console.WriteLine($"imagesharp {image.Width}x{image.Height}");
#elif NETVIPS
NetVips.Cache.Max = 0;
using var header = NetVips.Image.NewFromBuffer(bytes, access: NetVips.Enums.Access.Sequential);
var scale = 256.0 / Math.Min(header.Width, header.Height);
using var thumbnail = NetVips.Image.ThumbnailBuffer(
    bytes, (int)Math.Round(header.Width * scale), height: (int)Math.Round(header.Height * scale), size: NetVips.Enums.Size.Down);
var pixels = thumbnail.WriteToMemory<byte>();
Console.WriteLine($"netvips {thumbnail.Width}x{thumbnail.Height} {pixels.Length} bytes");
#elif SKIASHARP
using var codec = SkiaSharp.SKCodec.Create(SkiaSharp.SKData.CreateCopy(bytes))!;
var size = codec.Info.Size;
foreach (var s in new[] { 1f / 8, 1f / 4, 1f / 2 })
{
    var scaled = codec.GetScaledDimensions(s);
    if (Math.Min(scaled.Width, scaled.Height) >= 256)
    {
        size = scaled;
        break;
    }
}

using var bitmap = new SkiaSharp.SKBitmap(new SkiaSharp.SKImageInfo(size.Width, size.Height, SkiaSharp.SKColorType.Rgba8888, SkiaSharp.SKAlphaType.Unpremul));
Console.WriteLine($"skiasharp {size.Width}x{size.Height} {codec.GetPixels(bitmap.Info, bitmap.GetPixels())}");
#else
Console.WriteLine($"none {bytes.Length} bytes");
#endif
