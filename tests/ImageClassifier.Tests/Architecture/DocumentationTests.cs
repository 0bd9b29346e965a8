using System.Text.RegularExpressions;

namespace ImageClassifier.Tests.Architecture;

/// <summary>
/// The pages a reader follows: README.md stays short enough to read in one sitting, and every
/// relative link of every Markdown page in the repository reaches a file, and a heading when it names one.
/// </summary>
public partial class DocumentationTests
{
    /// <summary>The README's length limit (issue 25): beyond it, a topic moves into docs/.</summary>
    public const int ReadmeMaxLines = 400;

    private static readonly string[] IgnoredFolders = ["bin", "obj", ".git", "node_modules", "TestResults"];

    public static TheoryData<string> Pages() => [.. PageList()];

    /// <summary>Every Markdown page of the checkout, relative and with forward slashes, build output left out.</summary>
    private static List<string> PageList() => [.. Directory
        .EnumerateFiles(RepositoryRoot.Path, "*.md", SearchOption.AllDirectories)
        .Select(path => Path.GetRelativePath(RepositoryRoot.Path, path).Replace('\\', '/'))
        .Where(path => !path.Split('/').SkipLast(1).Any(IgnoredFolders.Contains))
        .Order(StringComparer.Ordinal)];

    [Fact]
    public void The_README_has_at_most_400_lines()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryRoot.Path, "README.md")).Length;

        Assert.True(lines <= ReadmeMaxLines, $"README.md has {lines} lines; move a topic into docs/ to bring it to {ReadmeMaxLines} or fewer.");
    }

    [Fact]
    public void The_pages_checked_include_the_README_docs_and_the_benchmarks()
    {
        var pages = PageList();

        Assert.Contains("README.md", pages);
        Assert.Contains("ARCHITECTURE.md", pages);
        Assert.Contains("bench/README.md", pages);
        Assert.Contains("tests/Fuzzing/README.md", pages);
        Assert.True(pages.Count(page => page.StartsWith("docs/", StringComparison.Ordinal)) >= 4, "docs/ has fewer than four pages.");
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Every_relative_link_reaches_a_file_and_its_heading(string page)
    {
        var broken = Links(page)
            .Where(link => !Resolves(page, link.Target))
            .Select(link => $"line {link.Line}: {link.Target}")
            .ToList();

        Assert.True(broken.Count == 0, $"{page} links to what does not exist:\n{string.Join('\n', broken)}");
    }

    [Theory]
    [InlineData("Open Inference Protocol (KServe v2)", "open-inference-protocol-kserve-v2")]
    [InlineData("The Node.js function (`node/`)", "the-nodejs-function-node")]
    [InlineData("What appears in MLflow per prediction", "what-appears-in-mlflow-per-prediction")]
    [InlineData("Decoder choice: figures (busy machine)", "decoder-choice-figures-busy-machine")]
    public void Anchors_are_made_from_headings_as_GitHub_makes_them(string heading, string anchor) =>
        Assert.Equal(anchor, Anchor(heading));

    private static bool Resolves(string page, string target)
    {
        var hash = target.IndexOf('#', StringComparison.Ordinal);
        var file = hash < 0 ? target : target[..hash];
        var fragment = hash < 0 ? null : Uri.UnescapeDataString(target[(hash + 1)..]);
        var path = file.Length == 0
            ? Path.Combine(RepositoryRoot.Path, page)
            : Path.GetFullPath(Path.Combine(RepositoryRoot.Path, Path.GetDirectoryName(page) ?? "", Uri.UnescapeDataString(file)));
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            return false;
        }

        return fragment is null || !path.EndsWith(".md", StringComparison.Ordinal) || Anchors(path).Contains(fragment);
    }

    /// <summary>The relative links of a page (outside fenced code and code spans), with their line numbers.</summary>
    private static IEnumerable<(int Line, string Target)> Links(string page)
    {
        var fenced = false;
        var number = 0;
        foreach (var line in File.ReadLines(Path.Combine(RepositoryRoot.Path, page)))
        {
            number++;
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                fenced = !fenced;
                continue;
            }

            if (fenced)
            {
                continue;
            }

            foreach (Match link in Link().Matches(CodeSpan().Replace(line, "")))
            {
                var target = link.Groups["target"].Value;
                if (!Scheme().IsMatch(target))
                {
                    yield return (number, target);
                }
            }
        }
    }

    /// <summary>The anchors of a page's headings; a repeated heading gets -1, -2, … as on GitHub.</summary>
    private static HashSet<string> Anchors(string path)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var fenced = false;
        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                fenced = !fenced;
                continue;
            }

            var heading = Heading().Match(line);
            if (fenced || !heading.Success)
            {
                continue;
            }

            var anchor = Anchor(heading.Groups["text"].Value);
            var count = seen.GetValueOrDefault(anchor);
            anchors.Add(count == 0 ? anchor : $"{anchor}-{count}");
            seen[anchor] = count + 1;
        }

        return anchors;
    }

    private static string Anchor(string heading) =>
        NotInAnchor().Replace(heading.Trim().ToLowerInvariant(), "").Replace(' ', '-');

    [GeneratedRegex(@"\[[^\]]*\]\((?<target>[^)\s]+)\)")]
    private static partial Regex Link();

    [GeneratedRegex("`[^`]*`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex("^[a-zA-Z][a-zA-Z0-9+.-]*:")]
    private static partial Regex Scheme();

    [GeneratedRegex("^#{1,6} (?<text>.+)$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"[^\p{L}\p{N}\p{M}_ -]")]
    private static partial Regex NotInAnchor();
}
