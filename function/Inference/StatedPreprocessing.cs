namespace ImageClassifier.Inference;

/// <summary>
/// Which parts of a bundle's preprocessing its source stated, as opposed to defaults: what is
/// stated must agree with the ONNX input, what is not gives way to it.
/// </summary>
[Flags]
public enum StatedPreprocessing
{
    /// <summary>Nothing stated: the preprocessing is assumed from the input's shape.</summary>
    None = 0,

    /// <summary>The input's width and height.</summary>
    Size = 1,

    /// <summary>NCHW or NHWC.</summary>
    Layout = 2,

    /// <summary>The channels (their count follows).</summary>
    Channels = 4,

    /// <summary>The resize's shorter side before a crop.</summary>
    ResizeShorterSide = 8,
}
