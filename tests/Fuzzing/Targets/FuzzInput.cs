using System.Text;

namespace ImageClassifier.Fuzzing;

/// <summary>
/// One fuzzed HTTP request in a plain, mutable layout: the Content-Type on the first line, then
/// header lines "name: value" up to an empty line, then the body. A line Kestrel would never
/// deliver (a name that is not a token, a value with control or non-ASCII characters) is
/// dropped, so that the reader sees only what the server could hand it.
/// </summary>
internal sealed record FuzzInput(string? ContentType, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
{
    public static FuzzInput Parse(ReadOnlySpan<byte> input)
    {
        var headers = new List<KeyValuePair<string, string>>();
        string? contentType = null;
        for (var lineNumber = 0; ; lineNumber++)
        {
            var end = input.IndexOf((byte)'\n');
            if (end < 0)
            {
                return new FuzzInput(contentType, headers, []);
            }

            var line = Encoding.Latin1.GetString(input[..end]).TrimEnd('\r');
            input = input[(end + 1)..];
            if (line.Length == 0)
            {
                return new FuzzInput(contentType, headers, input.ToArray());
            }

            if (lineNumber == 0)
            {
                contentType = IsFieldValue(line) ? line.Trim() : null;
            }
            else if (line.IndexOf(':', StringComparison.Ordinal) is > 0 and var colon
                && IsToken(line.AsSpan(0, colon)) && IsFieldValue(line.AsSpan(colon + 1)))
            {
                headers.Add(new(line[..colon], line[(colon + 1)..].Trim()));
            }
        }
    }

    public byte[] ToBytes()
    {
        var text = new StringBuilder().Append(ContentType).Append('\n');
        foreach (var (name, value) in Headers)
        {
            text.Append(name).Append(": ").Append(value).Append('\n');
        }

        return [.. Encoding.Latin1.GetBytes(text.Append('\n').ToString()), .. Body];
    }

    /// <summary>RFC 9110 tchar.</summary>
    private static bool IsToken(ReadOnlySpan<char> name)
    {
        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && !"!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Visible ASCII, space and tab: what Kestrel accepts in a header value by default.</summary>
    private static bool IsFieldValue(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (c is not ('\t' or (>= ' ' and <= '~')))
            {
                return false;
            }
        }

        return true;
    }
}
