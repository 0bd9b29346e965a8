using Microsoft.Extensions.FileSystemGlobbing;
using YamlDotNet.RepresentationModel;

namespace ImageClassifier.Tests.Config;

/// <summary>
/// accelerator.yaml read as the App Accelerator engine reads it: options with defaults, and a
/// merge of children, each taking the files its include/exclude globs match and running its
/// ReplaceText substitutions on them.
/// </summary>
public sealed class Accelerator
{
    private static readonly string[] IgnoredFolders = ["bin", "obj", ".git", "node_modules", "TestResults"];

    public Accelerator()
    {
        Document = Yaml.Load("accelerator.yaml");
        Options = Document.Items("accelerator.options").ToDictionary(
            option => option.Text("name"),
            option => option.Text("defaultValue"),
            StringComparer.Ordinal);
        Children = [.. Document.Items("engine.merge").Select(MergeChild.Parse)];
    }

    public YamlMappingNode Document { get; }

    /// <summary>Each option's name and default value.</summary>
    public IReadOnlyDictionary<string, string> Options { get; }

    public IReadOnlyList<MergeChild> Children { get; }

    /// <summary>Every file of the checkout, relative and with forward slashes, build output left out.</summary>
    public static IReadOnlyList<string> RepositoryFiles() =>
        [.. Directory.EnumerateFiles(RepositoryRoot.Path, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(RepositoryRoot.Path, path).Replace('\\', '/'))
            .Where(path => !path.Split('/').SkipLast(1).Any(IgnoredFolders.Contains))];

    /// <summary>The files the transforms change, as they come out with these option values.</summary>
    public IReadOnlyDictionary<string, string> Render(IReadOnlyDictionary<string, string> values)
    {
        var files = RepositoryFiles();
        var rendered = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var child in Children.Where(child => child.Substitutions.Count > 0))
        {
            foreach (var file in child.Matches(files))
            {
                var text = File.ReadAllText(Path.Combine(RepositoryRoot.Path, file));
                foreach (var (find, with) in child.Substitutions)
                {
                    text = text.Replace(find, SpelSubset.Evaluate(with, values), StringComparison.Ordinal);
                }

                rendered[file] = text;
            }
        }

        return rendered;
    }

    /// <summary>One child of <c>engine.merge</c>: its globs and the substitutions of its ReplaceText chain.</summary>
    public sealed record MergeChild(IReadOnlyList<string> Include, IReadOnlyList<string> Exclude, IReadOnlyList<(string Text, string With)> Substitutions)
    {
        public static MergeChild Parse(YamlNode node)
        {
            var mapping = (YamlMappingNode)node;
            var chain = mapping.Children.ContainsKey(new YamlScalarNode("chain")) ? node.Items("chain").ToList() : [];
            Assert.All(chain, transform => Assert.Equal("ReplaceText", transform.Text("type")));
            return new MergeChild(
                [.. node.Items("include").Select(Yaml.Text)],
                mapping.Children.ContainsKey(new YamlScalarNode("exclude")) ? [.. node.Items("exclude").Select(Yaml.Text)] : [],
                [.. chain.SelectMany(transform => transform.Items("substitutions")).Select(s => (s.Text("text"), s.Text("with")))]);
        }

        public IReadOnlyList<string> Matches(IEnumerable<string> files)
        {
            var matcher = new Matcher(StringComparison.Ordinal);
            matcher.AddIncludePatterns(Include);
            matcher.AddExcludePatterns(Exclude);
            return [.. files.Where(file => matcher.Match(file).HasMatches)];
        }
    }
}
