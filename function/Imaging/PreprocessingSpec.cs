namespace ImageClassifier.Imaging;

/// <summary>
/// How an image becomes the model's input, for any classifier: the whole upright image is
/// resized (<see cref="Resize"/>: crop, stretch or pad) to a <see cref="Width"/> × <see cref="Height"/>
/// input, its channels taken in <see cref="Channels"/> order, each value written as
/// <c>(pixel × Scale − Mean) / Std</c> per channel, float32 in <see cref="Layout"/>. Every
/// property has a named default, together today's ImageNet convention (<see cref="ImageNet"/>),
/// so a spec names only what differs from it: <c>PreprocessingSpec.ImageNet with { Layout = TensorLayout.Nhwc }</c>.
/// Per-channel values (<see cref="Scale"/>, <see cref="Mean"/>, <see cref="Std"/>) are in the
/// tensor's channel order (blue first for <see cref="ChannelOrder.Bgr"/>).
/// </summary>
public sealed record PreprocessingSpec
{
    public const ResizeMode DefaultResize = ResizeMode.Crop;
    public const int DefaultResizeShorterSide = 256;
    public const int DefaultSize = 224;
    public const TensorLayout DefaultLayout = TensorLayout.Nchw;
    public const ChannelOrder DefaultChannels = ChannelOrder.Rgb;
    public const float DefaultScale = 1f / 255f;
    public const PadAnchor DefaultPadAnchor = PadAnchor.Centre;
    public const float DefaultPadValue = 0f;
    public const Resample DefaultResample = Resample.Bilinear;

    /// <summary>
    /// A longer side more than this many times the shorter one is refused in crop mode: the
    /// resized longer side grows in proportion, and a classifier sees nothing in such a sliver anyway.
    /// </summary>
    public const int MaxAspectRatio = 100;

    /// <summary>Luma weights of ITU-R BT.601 (as PIL's and OpenCV's RGB → grey), for <see cref="ChannelOrder.Grey"/>.</summary>
    public const float LumaRed = 0.299f;
    public const float LumaGreen = 0.587f;
    public const float LumaBlue = 0.114f;

    private static readonly float[] ImageNetMean = [0.485f, 0.456f, 0.406f];
    private static readonly float[] ImageNetStd = [0.229f, 0.224f, 0.225f];
    private static readonly float[] DefaultScales = [DefaultScale];

    /// <summary>Today's convention, that of the ONNX Model Zoo's ImageNet classifiers: shorter side 256, centre crop 224, RGB, NCHW, ImageNet mean and std.</summary>
    public static PreprocessingSpec ImageNet { get; } = new();

    /// <summary>How the image is brought to the input's size.</summary>
    public ResizeMode Resize { get; init; } = DefaultResize;

    /// <summary>The resize's filter.</summary>
    public Resample Resample { get; init; } = DefaultResample;

    /// <summary>In <see cref="ResizeMode.Crop"/>: the length the shorter side is resized to before the centre crop.</summary>
    public int ResizeShorterSide { get; init; } = DefaultResizeShorterSide;

    /// <summary>The input's width in pixels.</summary>
    public int Width { get; init; } = DefaultSize;

    /// <summary>The input's height in pixels.</summary>
    public int Height { get; init; } = DefaultSize;

    /// <summary>Where the channel dimension lies.</summary>
    public TensorLayout Layout { get; init; } = DefaultLayout;

    /// <summary>Which channels, in which order.</summary>
    public ChannelOrder Channels { get; init; } = DefaultChannels;

    /// <summary>What a 0–255 value is multiplied by before the mean is subtracted: one value for every channel, or one a channel.</summary>
    public float[] Scale { get; init; } = DefaultScales;

    /// <summary>Subtracted per channel after scaling: one value a channel.</summary>
    public float[] Mean { get; init; } = ImageNetMean;

    /// <summary>Divided by per channel after the mean: one non-zero value a channel.</summary>
    public float[] Std { get; init; } = ImageNetStd;

    /// <summary>In <see cref="ResizeMode.Pad"/>: the value of every padding cell, in the model's input space (written as it is, not normalised).</summary>
    public float PadValue { get; init; } = DefaultPadValue;

    /// <summary>In <see cref="ResizeMode.Pad"/>: where the resized image sits in the input.</summary>
    public PadAnchor PadAnchor { get; init; } = DefaultPadAnchor;

    /// <summary>Channels in the tensor: 1 for grey, else 3.</summary>
    public int ChannelCount => Channels == ChannelOrder.Grey ? 1 : 3;

    /// <summary>Floats in one image's tensor.</summary>
    public int TensorLength => ChannelCount * Width * Height;

    /// <summary>The tensor's shape for <paramref name="batch"/> images: [N, C, H, W] or [N, H, W, C].</summary>
    public long[] TensorShape(long batch) => Layout == TensorLayout.Nhwc
        ? [batch, Height, Width, ChannelCount]
        : [batch, ChannelCount, Height, Width];

    /// <summary>One line for logs: size, layout, channels, resize and the normalisation.</summary>
    public string Describe() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{Width}x{Height} {Layout} {Channels} {Resize} {Resample}, scale [{Numbers(Scale)}] mean [{Numbers(Mean)}] std [{Numbers(Std)}]");

    /// <summary>The scale of output channel <paramref name="channel"/>.</summary>
    public float ScaleOf(int channel) => Scale.Length == 1 ? Scale[0] : Scale[channel];

    /// <summary>
    /// The size the whole upright image, <paramref name="fullWidth"/> × <paramref name="fullHeight"/>,
    /// is resized to before the crop or the padding, so a decoder may decode at the smallest
    /// scale that is not smaller. Crop: the shorter side becomes <see cref="ResizeShorterSide"/>,
    /// the longer one <c>floor(longer × side / shorter)</c> (torchvision's <c>Resize</c>), except
    /// that an image already the input's size is kept as it is. Stretch: the input's size. Pad:
    /// the largest size of the same aspect that fits inside the input, the limiting side exact,
    /// the other rounded (half to even), at least 1.
    /// </summary>
    /// <exception cref="Failures.ClassificationException">Crop mode and one side is more than <see cref="MaxAspectRatio"/> times the other (<c>image-too-elongated</c>).</exception>
    public (int Width, int Height) ResizedSize(int fullWidth, int fullHeight)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fullWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fullHeight);
        switch (Resize)
        {
            case ResizeMode.Stretch:
                return (Width, Height);
            case ResizeMode.Pad:
                // Width-limited when fullWidth / fullHeight ≥ Width / Height.
                return (long)fullWidth * Height >= (long)fullHeight * Width
                    ? (Width, Fit(fullHeight, Width, fullWidth, Height))
                    : (Fit(fullWidth, Height, fullHeight, Width), Height);
            default:
                if (fullWidth == Width && fullHeight == Height)
                {
                    return (fullWidth, fullHeight);
                }

                var shorter = Math.Min(fullWidth, fullHeight);
                var longer = Math.Max(fullWidth, fullHeight);
                if (longer > (long)shorter * MaxAspectRatio)
                {
                    throw ImageFailures.TooElongated(fullWidth, fullHeight, MaxAspectRatio);
                }

                var side = ResizeShorterSide;
                var resizedLonger = (int)((long)longer * side / shorter);
                return fullWidth <= fullHeight ? (side, resizedLonger) : (resizedLonger, side);
        }
    }

    /// <summary>
    /// Throws unless every field makes sense together, naming fields as config/model.json does;
    /// allocates nothing when they do (the writer checks each request's spec).
    /// </summary>
    /// <exception cref="ArgumentException">Which field is wrong and why.</exception>
    public void Validate()
    {
        if (Width <= 0 || Height <= 0)
        {
            throw Invalid($"The input size must be positive, not {Width}x{Height}.");
        }

        if ((long)Width * Height * ChannelCount > int.MaxValue)
        {
            throw Invalid($"An input of {Width}x{Height}x{ChannelCount} is too large.");
        }

        if (!Enum.IsDefined(Resize) || !Enum.IsDefined(Layout) || !Enum.IsDefined(Channels) || !Enum.IsDefined(PadAnchor) || !Enum.IsDefined(Resample))
        {
            throw Invalid($"Unknown resize mode, layout, channel order, pad anchor or resample filter ({Resize}, {Layout}, {Channels}, {PadAnchor}, {Resample}).");
        }

        if (Resize == ResizeMode.Crop && (ResizeShorterSide <= 0 || Math.Max(Width, Height) > ResizeShorterSide))
        {
            throw Invalid($"The crop ({Width}x{Height}) must fit inside the resized image: resizeShorterSide ({ResizeShorterSide}) must be at least {Math.Max(Width, Height)}.");
        }

        var channels = ChannelCount;
        CheckPerChannel(Scale, "scale", channels, allowOne: true);
        CheckPerChannel(Mean, "mean", channels, allowOne: false);
        CheckPerChannel(Std, "std", channels, allowOne: false);
        foreach (var std in Std)
        {
            if (std == 0)
            {
                throw Invalid("std must not be 0: every value is divided by it.");
            }
        }

        if (!float.IsFinite(PadValue))
        {
            throw Invalid($"padValue must be a finite number, not {PadValue}.");
        }
    }

    private static void CheckPerChannel(float[]? values, string name, int channels, bool allowOne)
    {
        if (values is null || (values.Length != channels && !(allowOne && values.Length == 1)))
        {
            var expected = allowOne ? $"1 or {channels}" : $"{channels}";
            throw Invalid($"{name} needs {expected} value(s), one a channel of the {channels}-channel input, not {values?.Length ?? 0}.");
        }

        foreach (var value in values)
        {
            if (!float.IsFinite(value))
            {
                throw Invalid($"{name} must hold finite numbers, not {value}.");
            }
        }
    }

    private static string Numbers(float[] values) =>
        string.Join(',', values.Select(value => value.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private static ArgumentException Invalid(string message) => new($"Invalid preprocessing: {message}");

    /// <summary>round(length × target / limiting), half to even, at least 1 and at most <paramref name="bound"/>.</summary>
    private static int Fit(int length, int target, int limiting, int bound) =>
        (int)Math.Clamp(Math.Round((double)length * target / limiting, MidpointRounding.ToEven), 1, bound);
}

/// <summary>How the image is brought to the input's size.</summary>
public enum ResizeMode
{
    /// <summary>The shorter side to <see cref="PreprocessingSpec.ResizeShorterSide"/>, then the centre cut out (torchvision's Resize + CenterCrop).</summary>
    Crop,

    /// <summary>Straight to the input's size, the aspect ignored.</summary>
    Stretch,

    /// <summary>Fitted inside the input keeping the aspect, the rest padded with <see cref="PreprocessingSpec.PadValue"/>.</summary>
    Pad,
}

/// <summary>The resize's filter (PIL's names and maths).</summary>
public enum Resample
{
    /// <summary>Triangle, antialiased when shrinking.</summary>
    Bilinear,

    /// <summary>The one source pixel under the output's centre.</summary>
    Nearest,

    /// <summary>Cubic convolution, a = −0.5, antialiased when shrinking.</summary>
    Bicubic,

    /// <summary>3-lobed Lanczos, antialiased when shrinking.</summary>
    Lanczos,
}

/// <summary>Where the channel dimension lies in the tensor.</summary>
public enum TensorLayout
{
    /// <summary>[N, C, H, W]: one plane a channel (PyTorch's).</summary>
    Nchw,

    /// <summary>[N, H, W, C]: channels interleaved (TensorFlow's).</summary>
    Nhwc,
}

/// <summary>The tensor's channels.</summary>
public enum ChannelOrder
{
    /// <summary>Red, green, blue.</summary>
    Rgb,

    /// <summary>Blue, green, red (Caffe's and OpenCV's).</summary>
    Bgr,

    /// <summary>One channel, the BT.601 luma of the RGB pixel.</summary>
    Grey,
}

/// <summary>Where a padded image sits.</summary>
public enum PadAnchor
{
    /// <summary>In the middle, the odd padding pixel after it.</summary>
    Centre,

    /// <summary>At the top left, all the padding after it.</summary>
    Start,
}
