using System.Numerics;
using System.Runtime.InteropServices;
using SixLabors.ImageSharp.PixelFormats;

namespace ImageClassifier.Imaging;

/// <summary>
/// A 24-bit pixel that images with transparency decode straight into: each colour the decoder
/// hands over is flattened onto white as it is converted (row by row, as the decoder writes its
/// rows), so an image with alpha never exists as an Rgba32 copy. It stores the complement of each
/// channel (255 − value), so that a pixel the decoder never writes (a transparent GIF pixel, a
/// skipped run of a compressed bitmap) reads as white, as a viewer shows it, not black.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public struct RgbOverWhite : IPixel<RgbOverWhite>
{
    private byte r;
    private byte g;
    private byte b;

    /// <summary>The red, green and blue a viewer shows, over white.</summary>
    public readonly Rgb24 Rgb => new((byte)(255 - r), (byte)(255 - g), (byte)(255 - b));

    public static bool operator ==(RgbOverWhite left, RgbOverWhite right) => left.Equals(right);

    public static bool operator !=(RgbOverWhite left, RgbOverWhite right) => !left.Equals(right);

    public readonly PixelOperations<RgbOverWhite> CreatePixelOperations() => new();

    public void FromRgba32(Rgba32 source) => Set(source.R, source.G, source.B, source.A);

    public void FromRgb24(Rgb24 source) => Set(source.R, source.G, source.B, 255);

    public void FromBgra32(Bgra32 source) => Set(source.R, source.G, source.B, source.A);

    public void FromBgr24(Bgr24 source) => Set(source.R, source.G, source.B, 255);

    public void FromArgb32(Argb32 source) => Set(source.R, source.G, source.B, source.A);

    public void FromAbgr32(Abgr32 source) => Set(source.R, source.G, source.B, source.A);

    public void FromL8(L8 source) => Set(source.PackedValue, source.PackedValue, source.PackedValue, 255);

    public void FromLa16(La16 source) => Set(source.L, source.L, source.L, source.A);

    public void FromBgra5551(Bgra5551 source) => FromVector4(source.ToVector4());

    public void FromL16(L16 source) => FromVector4(source.ToVector4());

    public void FromLa32(La32 source) => FromVector4(source.ToVector4());

    public void FromRgb48(Rgb48 source) => FromVector4(source.ToVector4());

    public void FromRgba64(Rgba64 source) => FromVector4(source.ToVector4());

    public void FromVector4(Vector4 vector)
    {
        var clamped = Vector4.Clamp(vector, Vector4.Zero, Vector4.One) * 255f;
        Set((byte)MathF.Round(clamped.X), (byte)MathF.Round(clamped.Y), (byte)MathF.Round(clamped.Z), (byte)MathF.Round(clamped.W));
    }

    public void FromScaledVector4(Vector4 vector) => FromVector4(vector);

    public readonly Vector4 ToVector4() => new(Rgb.R / 255f, Rgb.G / 255f, Rgb.B / 255f, 1f);

    public readonly Vector4 ToScaledVector4() => ToVector4();

    public readonly void ToRgba32(ref Rgba32 dest)
    {
        var rgb = Rgb;
        dest = new Rgba32(rgb.R, rgb.G, rgb.B, 255);
    }

    public readonly bool Equals(RgbOverWhite other) => r == other.r && g == other.g && b == other.b;

    public override readonly bool Equals(object? obj) => obj is RgbOverWhite other && Equals(other);

    public override readonly int GetHashCode() => HashCode.Combine(r, g, b);

    /// <summary>Stores <paramref name="red"/>, <paramref name="green"/>, <paramref name="blue"/> at opacity <paramref name="alpha"/> over white, complemented.</summary>
    private void Set(byte red, byte green, byte blue, byte alpha)
    {
        // Over white: shown = c·a + 255·(1 − a); its complement is (255 − c)·a.
        r = (byte)(((255 - red) * alpha + 127) / 255);
        g = (byte)(((255 - green) * alpha + 127) / 255);
        b = (byte)(((255 - blue) * alpha + 127) / 255);
    }
}
