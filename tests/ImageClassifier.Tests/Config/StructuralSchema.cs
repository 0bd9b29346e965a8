using System.Text.Json.Nodes;

namespace ImageClassifier.Tests.Config;

/// <summary>
/// A CRD version's <c>openAPIV3Schema</c> rewritten as the JSON Schema (draft-04, the draft whose
/// keywords OpenAPI v3 schemas share) that accepts what the API server accepts on create with
/// strict field validation, kubectl apply's default. Types, required fields, enums and patterns
/// mean the same in both; three rules of structural schemas do not:
/// <list type="bullet">
/// <item>An object refuses fields it does not declare, unless it is a map (<c>additionalProperties</c>)
/// or marked <c>x-kubernetes-preserve-unknown-fields</c>, which covers that object only, not the
/// objects declared under it. JSON Schema allows any field unless told otherwise.</item>
/// <item><c>x-kubernetes-int-or-string</c> takes an integer or a string.</item>
/// <item>The resource's root, and any <c>x-kubernetes-embedded-resource</c>, needs apiVersion and kind
/// and takes metadata; the server decodes that metadata as ObjectMeta itself, refusing fields
/// ObjectMeta does not have and values of the wrong type, while the CRD leaves it an open object.</item>
/// </list>
/// </summary>
public static class StructuralSchema
{
    /// <summary>The fields of meta/v1 ObjectMeta; the ones a manifest sets are typed.</summary>
    private const string ObjectMeta = """
        {
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "name": { "type": "string" },
            "generateName": { "type": "string" },
            "namespace": { "type": "string" },
            "labels": { "type": "object", "additionalProperties": { "type": "string" } },
            "annotations": { "type": "object", "additionalProperties": { "type": "string" } },
            "finalizers": { "type": "array", "items": { "type": "string" } },
            "ownerReferences": { "type": "array" },
            "uid": {}, "resourceVersion": {}, "generation": {}, "creationTimestamp": {}, "deletionTimestamp": {},
            "deletionGracePeriodSeconds": {}, "managedFields": {}, "selfLink": {}
          }
        }
        """;

    public static JsonObject ToJsonSchema(JsonObject openApiV3Schema)
    {
        var schema = openApiV3Schema.DeepClone().AsObject();
        Rewrite(schema, isResource: true);
        return schema;
    }

    private static void Rewrite(JsonObject schema, bool isResource)
    {
        if (schema.ContainsKey("x-kubernetes-validations"))
        {
            throw new NotSupportedException("The schema has CEL rules (x-kubernetes-validations), which this check cannot evaluate.");
        }

        foreach (var (name, property) in schema["properties"]?.AsObject() ?? [])
        {
            if (!(isResource && name == "metadata"))
            {
                Rewrite(property!.AsObject(), isResource: Flag(property, "x-kubernetes-embedded-resource"));
            }
        }

        foreach (var keyword in new[] { "items", "additionalProperties", "not" })
        {
            if (schema[keyword] is JsonObject child)
            {
                Rewrite(child, isResource: false);
            }
        }

        foreach (var child in new[] { "anyOf", "allOf", "oneOf" }.SelectMany(keyword => schema[keyword]?.AsArray() ?? []))
        {
            Rewrite(child!.AsObject(), isResource: false);
        }

        if (isResource)
        {
            AddResourceFields(schema);
        }

        if (Flag(schema, "x-kubernetes-int-or-string") && !schema.ContainsKey("anyOf"))
        {
            schema["anyOf"] = new JsonArray(new JsonObject { ["type"] = "integer" }, new JsonObject { ["type"] = "string" });
        }

        var isObject = (string?)schema["type"] == "object" || schema.ContainsKey("properties");
        if (isObject && !schema.ContainsKey("additionalProperties") && !Flag(schema, "x-kubernetes-preserve-unknown-fields"))
        {
            schema["additionalProperties"] = false;
        }
    }

    private static void AddResourceFields(JsonObject schema)
    {
        var properties = schema["properties"]?.AsObject() ?? [];
        schema["properties"] = properties;

        // A CRD may only narrow metadata.name and generateName; none of the copied ones does.
        if (properties["metadata"] is JsonObject declared && !JsonNode.DeepEquals(declared, new JsonObject { ["type"] = "object" }))
        {
            throw new NotSupportedException($"The schema constrains metadata ({declared.ToJsonString()}), which this check does not model.");
        }

        properties["apiVersion"] = new JsonObject { ["type"] = "string", ["minLength"] = 1 };
        properties["kind"] = new JsonObject { ["type"] = "string", ["minLength"] = 1 };
        properties["metadata"] = JsonNode.Parse(ObjectMeta);
        var required = schema["required"]?.AsArray() ?? [];
        schema["required"] = required;
        foreach (var field in new[] { "apiVersion", "kind" }.Where(field => !required.Any(r => (string?)r == field)))
        {
            required.Add(field);
        }
    }

    private static bool Flag(JsonNode? schema, string extension) => schema?[extension] is JsonValue value && value.GetValue<bool>();
}
