using ImageClassifier.Failures;

namespace ImageClassifier.Imaging;

/// <summary>
/// The metadata ranges a header reader hides from the decoder, in order, neighbours merged. A real
/// image has a few dozen at most (an ICC profile split over many JPEG segments); a file made of
/// thousands of them is refused rather than listed.
/// </summary>
internal sealed class HiddenRanges
{
    public const int MaxRanges = 1024;

    private readonly List<Range> ranges = [];

    public IReadOnlyList<Range> Ranges => ranges;

    public void Add(int start, int end)
    {
        if (ranges.Count > 0 && ranges[^1].End.Value == start)
        {
            ranges[^1] = new Range(ranges[^1].Start, end);
            return;
        }

        if (ranges.Count == MaxRanges)
        {
            throw Problems.ImageUnsupported.Failure($"The image carries more than {MaxRanges} separate metadata segments.");
        }

        ranges.Add(new Range(start, end));
    }
}
