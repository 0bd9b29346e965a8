namespace ImageClassifier.Imaging;

/// <summary>A rectangle of pixels: <see cref="Width"/> × <see cref="Height"/> from (<see cref="Left"/>, <see cref="Top"/>).</summary>
public readonly record struct PixelRegion(int Left, int Top, int Width, int Height)
{
    /// <summary>One past the last column.</summary>
    public int Right => Left + Width;

    /// <summary>One past the last row.</summary>
    public int Bottom => Top + Height;

    /// <summary>All of a <paramref name="width"/> × <paramref name="height"/> image.</summary>
    public static PixelRegion Whole(int width, int height) => new(0, 0, width, height);

    /// <summary>Whether every pixel of <paramref name="other"/> is in this one.</summary>
    public bool Contains(PixelRegion other) =>
        other.Left >= Left && other.Top >= Top && other.Right <= Right && other.Bottom <= Bottom;
}
