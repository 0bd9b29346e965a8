namespace ImageClassifier.Imaging;

/// <summary>
/// Where the resized image meets the input: the whole upright image is resized to
/// <see cref="Resized"/> (<see cref="PreprocessingSpec.ResizedSize"/>), and its
/// <see cref="Window"/> × <see cref="Covered"/> part lands at <see cref="Placed"/> in the input.
/// Crop: the window is the centre, offset <c>(resized − size) / 2</c> rounded half to even on
/// each axis (torchvision's CenterCrop), covering the whole input. Stretch: all of it, covering
/// the whole input. Pad: all of it, placed at the centre (offset <c>floor((size − resized) / 2)</c>)
/// or at the top left; the cells it does not cover are padding. Worked out from the whole
/// image's size, so a reduced-scale decode gives the same geometry.
/// </summary>
internal readonly record struct ResizeGeometry(
    (int Width, int Height) Resized,
    (int X, int Y) Window,
    (int X, int Y) Placed,
    (int Width, int Height) Covered)
{
    /// <summary>True when some input cells lie outside the resized image.</summary>
    public bool Padded(PreprocessingSpec spec) => Covered.Width < spec.Width || Covered.Height < spec.Height;

    public static ResizeGeometry For(int fullWidth, int fullHeight, PreprocessingSpec spec)
    {
        var resized = spec.ResizedSize(fullWidth, fullHeight);
        switch (spec.Resize)
        {
            case ResizeMode.Pad:
                var placed = spec.PadAnchor == PadAnchor.Start
                    ? (0, 0)
                    : ((spec.Width - resized.Width) / 2, (spec.Height - resized.Height) / 2);
                return new ResizeGeometry(resized, (0, 0), placed, resized);
            case ResizeMode.Stretch:
                return new ResizeGeometry(resized, (0, 0), (0, 0), resized);
            default:
                var window = (Centre(resized.Width, spec.Width), Centre(resized.Height, spec.Height));
                return new ResizeGeometry(resized, window, (0, 0), (spec.Width, spec.Height));
        }
    }

    private static int Centre(int length, int crop) => (int)Math.Round((length - crop) / 2.0, MidpointRounding.ToEven);
}
