using ImageClassifier.Imaging;

namespace ImageClassifier.Tests.Harness.Fakes;

/// <summary>Leaves the tensor as it is: the edge's tests do not look at pixels.</summary>
public sealed class FakeTensorWriter : ITensorWriter
{
    public void Write(DecodedImage image, PreprocessingSpec spec, Span<float> destination) => destination.Clear();

    public PixelRegion Reads((int Width, int Height) scaled, (int Width, int Height) full, PreprocessingSpec spec) =>
        PixelRegion.Whole(scaled.Width, scaled.Height);
}
