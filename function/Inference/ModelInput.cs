using ImageClassifier.Imaging;
using Microsoft.ML.OnnxRuntime;

namespace ImageClassifier.Inference;

/// <summary>
/// Fits a bundle's preprocessing to the ONNX input it feeds: the layout is where the channel
/// dimension (1 or 3) sits, fixed dimensions win over defaults and dynamic ones take the
/// preprocessing's size. What the source stated and the graph contradicts is refused, naming both.
/// </summary>
internal static class ModelInput
{
    /// <summary>The ImageNet ratio of the shorter side before a crop to the crop (256 / 224), for a size taken from the graph.</summary>
    private const double ShorterSidePerCrop = 256.0 / 224.0;

    /// <exception cref="ModelUnavailableException">The input is not a float image tensor, or it contradicts the stated preprocessing (<c>invalid_model</c>).</exception>
    public static PreprocessingSpec Fit(ModelBundle bundle, string inputName, NodeMetadata input)
    {
        var dims = input.Dimensions;
        var described = $"{bundle.ModelPath}: input '{inputName}' is [{string.Join(',', dims)}] {input.ElementType.Name}";
        if (input.ElementType != typeof(float))
        {
            throw Invalid($"{described}; only float32 image inputs are served (a quantised model takes float input and quantises inside its graph).");
        }

        if (dims.Length != 4)
        {
            throw Invalid($"{described}; a 4-dimensional [N,C,H,W] or [N,H,W,C] image tensor is needed.");
        }

        var stated = bundle.Preprocessing;
        var layout = LayoutOf(dims, stated.Layout)
            ?? throw Invalid($"{described}; neither dimension 1 (NCHW) nor dimension 3 (NHWC) is a channel dimension of 1 or 3.");
        if (bundle.Stated.HasFlag(StatedPreprocessing.Layout) && layout != stated.Layout)
        {
            throw Invalid($"{described}, {layout.ToString().ToUpperInvariant()}, but its preprocessing ({bundle.PreprocessingSource}) says {stated.Layout.ToString().ToUpperInvariant()}.");
        }

        var (channelAxis, heightAxis, widthAxis) = layout == TensorLayout.Nhwc ? (3, 1, 2) : (1, 2, 3);
        var channels = dims[channelAxis] switch
        {
            1 => ChannelOrder.Grey,
            3 when stated.Channels == ChannelOrder.Grey => ChannelOrder.Rgb,
            _ => stated.Channels,
        };
        if (bundle.Stated.HasFlag(StatedPreprocessing.Channels) && channels != stated.Channels)
        {
            throw Invalid($"{described}, {dims[channelAxis]} channel(s), but its preprocessing ({bundle.PreprocessingSource}) says {stated.Channels.ToString().ToLowerInvariant()}.");
        }

        var height = dims[heightAxis] > 0 ? dims[heightAxis] : stated.Height;
        var width = dims[widthAxis] > 0 ? dims[widthAxis] : stated.Width;
        if (bundle.Stated.HasFlag(StatedPreprocessing.Size) && (height != stated.Height || width != stated.Width))
        {
            throw Invalid($"{described}, {height}x{width} (height x width), but its preprocessing ({bundle.PreprocessingSource}) says {stated.Height}x{stated.Width}.");
        }

        var fitted = stated with
        {
            Layout = layout,
            Channels = channels,
            Height = height,
            Width = width,
            ResizeShorterSide = bundle.Stated.HasFlag(StatedPreprocessing.ResizeShorterSide)
                ? stated.ResizeShorterSide
                : (int)Math.Ceiling(Math.Max(height, width) * ShorterSidePerCrop),
            Scale = PerChannel(stated.Scale, channels),
            Mean = PerChannel(stated.Mean, channels),
            Std = PerChannel(stated.Std, channels),
        };
        try
        {
            fitted.Validate();
        }
        catch (ArgumentException exception)
        {
            throw Invalid($"{described}; {exception.Message}");
        }

        return fitted;
    }

    /// <summary>NCHW or NHWC from where a channel dimension of 1 or 3 sits; when both or neither could be, a dynamic one decides, then the stated layout.</summary>
    private static TensorLayout? LayoutOf(int[] dims, TensorLayout stated)
    {
        var first = dims[1] is 1 or 3;
        var last = dims[3] is 1 or 3;
        return (first, last) switch
        {
            (true, false) => TensorLayout.Nchw,
            (false, true) => TensorLayout.Nhwc,
            (true, true) => stated,
            _ when dims[1] <= 0 && dims[3] <= 0 => stated,
            _ when dims[1] <= 0 => TensorLayout.Nchw,
            _ when dims[3] <= 0 => TensorLayout.Nhwc,
            _ => null,
        };
    }

    /// <summary>
    /// Per-channel values for the input's channel count, when the preprocessing was written for
    /// another: three become their mean for one grey channel (torchvision's convention), one is
    /// repeated for three.
    /// </summary>
    private static float[] PerChannel(float[] values, ChannelOrder channels)
    {
        var count = channels == ChannelOrder.Grey ? 1 : 3;
        return values.Length == count || values.Length == 0 ? values
            : count == 1 ? [values.Average()]
            : values.Length == 1 ? [values[0], values[0], values[0]]
            : values;
    }

    private static ModelUnavailableException Invalid(string message) => new(ModelMetrics.Outcomes.InvalidModel, message);
}
