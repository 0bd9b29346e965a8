using YamlDotNet.RepresentationModel;

namespace ImageClassifier.Tests.Config;

/// <summary>A repository file parsed with YamlDotNet, and paths into it that fail with the path they were looking for.</summary>
public static class Yaml
{
    public static YamlMappingNode Load(string relativePath) => Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, relativePath)));

    public static YamlMappingNode Parse(string text)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(text);
        stream.Load(reader);
        return (YamlMappingNode)Assert.Single(stream.Documents).RootNode;
    }

    public static YamlNode At(this YamlNode node, string path)
    {
        foreach (var key in path.Split('.'))
        {
            node = node is YamlMappingNode mapping && mapping.Children.TryGetValue(new YamlScalarNode(key), out var child)
                ? child
                : throw new Xunit.Sdk.XunitException($"No '{key}' on the way to '{path}'.");
        }

        return node;
    }

    /// <summary>A key that holds dots itself, such as an annotation name.</summary>
    public static YamlNode Child(this YamlNode node, string key) =>
        ((YamlMappingNode)node).Children.TryGetValue(new YamlScalarNode(key), out var child)
            ? child
            : throw new Xunit.Sdk.XunitException($"No '{key}'.");

    public static string Text(this YamlNode node, string path) => ((YamlScalarNode)node.At(path)).Value ?? "";

    public static string Text(this YamlNode node) => ((YamlScalarNode)node).Value ?? "";

    public static IEnumerable<YamlNode> Items(this YamlNode node, string path) => ((YamlSequenceNode)node.At(path)).Children;

    /// <summary>
    /// A Kubernetes-style env list as a dictionary of names and values; a name given twice fails.
    /// A value taken from elsewhere (<c>valueFrom</c>, e.g. a Secret) is null.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> Env(this YamlNode node, string path) =>
        node.Items(path).ToDictionary(
            item => item.Text("name"),
            item => ((YamlMappingNode)item).Children.ContainsKey(new YamlScalarNode("valueFrom")) ? null : item.Text("value"),
            StringComparer.Ordinal);

    /// <summary>A mapping of scalars (labels, annotations) as a dictionary.</summary>
    public static IReadOnlyDictionary<string, string> Scalars(this YamlNode node, string path) =>
        ((YamlMappingNode)node.At(path)).Children.ToDictionary(pair => pair.Key.Text(), pair => pair.Value.Text(), StringComparer.Ordinal);
}
