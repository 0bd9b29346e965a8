using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;
using YamlDotNet.System.Text.Json;

namespace ImageClassifier.Tests.Config;

/// <summary>
/// The documents of a YAML file as JSON, the form a manifest reaches the API server in. Plain
/// scalars are typed by the YAML 1.2 core schema (<c>8</c> a number, <c>"8"</c> a string);
/// kubectl's YAML 1.1 parser also reads yes/no/on/off as booleans, which the manifests avoid.
/// </summary>
public static class YamlJson
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .WithTypeConverter(new SystemTextJsonYamlTypeConverter())
        .WithTypeInspector(inner => new SystemTextJsonTypeInspector(inner))
        .Build();

    public static IReadOnlyList<JsonNode> Load(string relativePath) => Documents(File.ReadAllText(Path.Combine(RepositoryRoot.Path, relativePath)));

    public static IReadOnlyList<JsonNode> Documents(string text)
    {
        var parser = new Parser(new StringReader(text));
        parser.Consume<StreamStart>();
        var documents = new List<JsonNode>();
        while (parser.Accept<DocumentStart>(out _))
        {
            documents.Add(Deserializer.Deserialize<JsonNode>(parser) ?? throw new InvalidDataException("An empty YAML document."));
        }

        return documents;
    }
}
