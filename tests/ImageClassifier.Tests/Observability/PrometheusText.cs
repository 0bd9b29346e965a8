using System.Globalization;
using System.Text.RegularExpressions;

namespace ImageClassifier.Tests.Observability;

/// <summary>
/// The Prometheus text exposition format (0.0.4), parsed strictly enough that a malformed line
/// fails the test: each sample is <c>name{label="value",…} number</c>, each comment HELP or TYPE.
/// </summary>
public sealed partial class PrometheusText
{
    private readonly List<Sample> samples = [];

    private PrometheusText()
    {
    }

    public IReadOnlyDictionary<string, string> Types { get; private set; } = new Dictionary<string, string>();

    public static PrometheusText Parse(string text)
    {
        var parsed = new PrometheusText();
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n').Where(line => line.Length > 0))
        {
            if (line.StartsWith('#'))
            {
                var comment = CommentLine().Match(line);
                Assert.True(comment.Success, $"Not a HELP, TYPE or EOF comment: {line}");
                if (comment.Groups["kind"].Value == "TYPE")
                {
                    Assert.Matches("^(counter|gauge|histogram|summary|untyped)$", comment.Groups["rest"].Value);
                    types[comment.Groups["name"].Value] = comment.Groups["rest"].Value;
                }

                continue;
            }

            var sample = SampleLine().Match(line);
            Assert.True(sample.Success, $"Not a sample line: {line}");
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            var labelText = sample.Groups["labels"].Value;
            var consumed = 0;
            foreach (Match label in Label().Matches(labelText))
            {
                labels[label.Groups["key"].Value] = Regex.Unescape(label.Groups["value"].Value);
                consumed += label.Length;
            }

            Assert.True(consumed == labelText.Length, $"Malformed labels: {line}");
            var value = sample.Groups["value"].Value;
            parsed.samples.Add(new Sample(sample.Groups["name"].Value, labels, value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                _ => double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture),
            }));
        }

        parsed.Types = types;
        return parsed;
    }

    /// <summary>The sum of the samples named so whose labels include the given ones (0 when there are none).</summary>
    public double Value(string name, params (string Key, string Value)[] labels) =>
        Matching(name, labels).Sum(sample => sample.Value);

    public IEnumerable<Sample> Matching(string name, params (string Key, string Value)[] labels) =>
        samples.Where(sample => sample.Name == name
            && labels.All(label => sample.Labels.TryGetValue(label.Key, out var value) && value == label.Value));

    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    [GeneratedRegex("""^# (?<kind>HELP|TYPE) (?<name>[a-zA-Z_:][a-zA-Z0-9_:]*) ?(?<rest>.*)$|^# EOF$""")]
    private static partial Regex CommentLine();

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>[^ ]+)( -?[0-9]+)?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex("""(?<key>[a-zA-Z_][a-zA-Z0-9_]*)="(?<value>(?:[^"\\]|\\.)*)",?""")]
    private static partial Regex Label();
}
