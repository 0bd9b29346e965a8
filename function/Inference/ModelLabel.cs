using System.Text.RegularExpressions;

namespace ImageClassifier.Inference;

/// <summary>One line of a label file: <c>n02124075 Egyptian cat</c>, or a bare name.</summary>
public sealed partial record ModelLabel(string Synset, string Name)
{
    /// <summary>
    /// Reads a line of the zoo's synset.txt (<c>id name, other name</c>), keeping the first of
    /// the comma-separated names. A line without a WordNet id is a bare name.
    /// </summary>
    public static ModelLabel Parse(string line)
    {
        var match = SynsetLine().Match(line);
        var synset = match.Success ? match.Groups[1].Value : string.Empty;
        var names = match.Success ? match.Groups[2].Value : line;
        var comma = names.IndexOf(',', StringComparison.Ordinal);
        return new ModelLabel(synset, (comma < 0 ? names : names[..comma]).Trim());
    }

    [GeneratedRegex(@"^\s*(n\d{8})\s+(.*)$")]
    private static partial Regex SynsetLine();
}
