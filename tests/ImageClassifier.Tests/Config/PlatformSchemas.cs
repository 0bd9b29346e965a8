using System.Text.Json.Nodes;
using NJsonSchema;
using NJsonSchema.Validation;

namespace ImageClassifier.Tests.Config;

/// <summary>
/// The platforms' schemas in Config/Schemas, loaded once per test class: each CRD version and each
/// kind of a Kubernetes OpenAPI document by its apiVersion and kind, and func.yaml's schema.
/// </summary>
public sealed class PlatformSchemas : IAsyncLifetime
{
    public const string FuncYamlSchema = "knative-func-yaml.schema.json";

    private readonly Dictionary<string, JsonSchema> _schemas = new(StringComparer.Ordinal);

    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Config", "Schemas");

    public async Task InitializeAsync()
    {
        foreach (var file in Directory.EnumerateFiles(Folder, "*.crd.yaml"))
        {
            foreach (var crd in YamlJson.Documents(await File.ReadAllTextAsync(file)))
            {
                foreach (var version in crd["spec"]!["versions"]!.AsArray())
                {
                    var openApiV3Schema = version!["schema"]!["openAPIV3Schema"]!.AsObject();
                    _schemas[Key($"{crd["spec"]!["group"]}/{version["name"]}", (string)crd["spec"]!["names"]!["kind"]!)] = await LoadAsync(openApiV3Schema);
                }
            }
        }

        foreach (var file in Directory.EnumerateFiles(Folder, "*.openapi.json"))
        {
            foreach (var (apiVersion, kind, schema) in BuiltInSchema.Kinds(JsonNode.Parse(await File.ReadAllTextAsync(file))!.AsObject()))
            {
                _schemas[Key(apiVersion, kind)] = await JsonSchema.FromJsonAsync(schema.ToJsonString());
            }
        }

        _schemas[FuncYamlSchema] = await JsonSchema.FromJsonAsync(await File.ReadAllTextAsync(Path.Combine(Folder, FuncYamlSchema)));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A CRD version's schema, as the validator checks it.</summary>
    public static Task<JsonSchema> LoadAsync(JsonObject openApiV3Schema) => JsonSchema.FromJsonAsync(StructuralSchema.ToJsonSchema(openApiV3Schema).ToJsonString());

    /// <summary>What the API server would refuse in a Kubernetes document, one line each; empty if it accepts it.</summary>
    public IReadOnlyList<string> Problems(JsonNode document)
    {
        var apiVersion = (string?)document["apiVersion"];
        var kind = (string?)document["kind"];
        return _schemas.TryGetValue(Key(apiVersion, kind), out var schema)
            ? Problems(schema, document)
            : [$"{apiVersion} {kind}: no schema in Config/Schemas. Copy its platform's schema there, with its source in SOURCES.md."];
    }

    /// <summary>What the func CLI's schema refuses in a func.yaml.</summary>
    public IReadOnlyList<string> FuncYamlProblems(JsonNode funcYaml) => Problems(_schemas[FuncYamlSchema], funcYaml);

    public static IReadOnlyList<string> Problems(JsonSchema schema, JsonNode document) =>
        [.. schema.Validate(document.ToJsonString()).SelectMany(Leaves)];

    private static string Key(string? apiVersion, string? kind) => $"{apiVersion} {kind}";

    /// <summary>
    /// An error inside a list item, a map value or a referenced type (a built-in schema's
    /// <c>allOf</c> of one <c>$ref</c>), reported at the field itself.
    /// </summary>
    private static IEnumerable<string> Leaves(ValidationError error) =>
        error is ChildSchemaValidationError child
            && error.Kind is ValidationErrorKind.ArrayItemNotValid or ValidationErrorKind.AdditionalPropertiesNotValid or ValidationErrorKind.NotAllOf
            ? child.Errors.Values.SelectMany(errors => errors).SelectMany(Leaves)
            : [$"{error.Path}: {error.Kind}"];
}
