using System.Text.Json.Nodes;

namespace ImageClassifier.Tests.Config;

/// <summary>
/// The kinds of a Kubernetes OpenAPI v3 document (the API server's own, for built-in kinds such
/// as NetworkPolicy), each as the JSON Schema (draft-04) that accepts what the server accepts on
/// create with strict field validation, kubectl apply's default. The document's component schemas
/// become definitions and its references point at them. One rule is added: built-in types carry
/// no <c>additionalProperties: false</c> in their OpenAPI, yet the server's strict decoder refuses
/// a field that the Go struct does not have. So every schema that lists properties (a struct)
/// refuses others; maps keep their <c>additionalProperties</c>, and bare objects (FieldsV1, which
/// the decoder keeps as raw JSON) stay open. The <c>required</c> lists are kept as kubectl's
/// client-side validation read them, stricter than the server, which takes a missing struct as empty.
/// </summary>
public static class BuiltInSchema
{
    private const string ComponentPrefix = "#/components/schemas/";

    /// <summary>Each kind the document's schemas declare (<c>x-kubernetes-group-version-kind</c>), by apiVersion.</summary>
    public static IEnumerable<(string ApiVersion, string Kind, JsonObject Schema)> Kinds(JsonObject document)
    {
        var components = document["components"]!["schemas"]!.AsObject();
        var definitions = new JsonObject();
        foreach (var (name, component) in components)
        {
            var schema = component!.DeepClone().AsObject();
            Rewrite(schema);
            definitions[name] = schema;
        }

        foreach (var (name, component) in components)
        {
            foreach (var kind in component!["x-kubernetes-group-version-kind"]?.AsArray() ?? [])
            {
                var group = (string)kind!["group"]!;
                var version = (string)kind["version"]!;
                var schema = new JsonObject { ["$ref"] = "#/definitions/" + name, ["definitions"] = definitions.DeepClone() };
                yield return (group.Length == 0 ? version : $"{group}/{version}", (string)kind["kind"]!, schema);
            }
        }
    }

    private static void Rewrite(JsonObject schema)
    {
        if ((string?)schema["$ref"] is { } reference)
        {
            schema["$ref"] = reference.StartsWith(ComponentPrefix, StringComparison.Ordinal)
                ? "#/definitions/" + reference[ComponentPrefix.Length..]
                : throw new NotSupportedException($"A reference outside the document's components: {reference}");
        }

        foreach (var (_, property) in schema["properties"]?.AsObject() ?? [])
        {
            Rewrite(property!.AsObject());
        }

        foreach (var keyword in new[] { "items", "additionalProperties", "not" })
        {
            if (schema[keyword] is JsonObject child)
            {
                Rewrite(child);
            }
        }

        foreach (var child in new[] { "anyOf", "allOf", "oneOf" }.SelectMany(keyword => schema[keyword]?.AsArray() ?? []))
        {
            Rewrite(child!.AsObject());
        }

        if (schema.ContainsKey("properties") && !schema.ContainsKey("additionalProperties"))
        {
            schema["additionalProperties"] = false;
        }
    }
}
