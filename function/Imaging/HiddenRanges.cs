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

    /// <summary>Bytes hidden in all.</summary>
    public int Bytes { get; private set; }

    public void Add(int start, int end)
    {
        Bytes += end - start;
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

    /// <summary>The complement of <paramref name="hidden"/> (in order, not overlapping) within content of <paramref name="contentLength"/> bytes.</summary>
    public static Range[] Shown(int contentLength, IReadOnlyList<Range> hidden)
    {
        var shown = new List<Range>(hidden.Count + 1);
        var from = 0;
        foreach (var range in hidden)
        {
            var (start, count) = range.GetOffsetAndLength(contentLength);
            if (start > from)
            {
                shown.Add(new Range(from, start));
            }

            from = Math.Max(from, start + count);
        }

        if (from < contentLength)
        {
            shown.Add(new Range(from, contentLength));
        }

        return [.. shown];
    }
}
