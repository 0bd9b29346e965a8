using System.Text.Json.Nodes;

namespace ImageClassifier.Tests.Config;

/// <summary>The rules of <see cref="StructuralSchema"/> that none of the copied CRDs exercises, on a schema made for them.</summary>
public class StructuralSchemaTests
{
    private const string Schema = """
        {
          "type": "object",
          "properties": {
            "spec": {
              "type": "object",
              "properties": {
                "port": { "x-kubernetes-int-or-string": true },
                "template": {
                  "type": "object",
                  "x-kubernetes-embedded-resource": true,
                  "properties": { "spec": { "type": "object", "x-kubernetes-preserve-unknown-fields": true } }
                }
              }
            }
          }
        }
        """;

    [Theory]
    [InlineData("""{"port": 8080}""", "")]
    [InlineData("""{"port": "http"}""", "")]
    [InlineData("""{"port": true}""", "#/spec.port: NotAnyOf")]
    [InlineData("""{"template": {"apiVersion": "v1", "kind": "Pod", "metadata": {"labels": {"a": "b"}}, "spec": {"any": 1}}}""", "")]
    [InlineData("""{"template": {"apiVersion": "v1", "kind": "Pod", "metadata": {"labelz": {}}}}""", "#/spec.template.metadata.labelz: NoAdditionalPropertiesAllowed")]
    [InlineData("""{"template": {"apiVersion": "v1", "spec": {}}}""", "#/spec.template.kind: PropertyRequired")]
    public async Task Int_or_string_and_embedded_resources_are_checked_as_the_API_server_checks_them(string spec, string expected)
    {
        var schema = await PlatformSchemas.LoadAsync(JsonNode.Parse(Schema)!.AsObject());
        var document = JsonNode.Parse($$"""{"apiVersion": "example.com/v1", "kind": "Example", "metadata": {"name": "a"}, "spec": {{spec}}}""")!;

        Assert.Equal(expected.Length == 0 ? [] : [expected], PlatformSchemas.Problems(schema, document));
    }

    [Fact]
    public void A_schema_with_CEL_rules_is_refused_rather_than_checked_in_part()
    {
        var schema = JsonNode.Parse("""{"type": "object", "x-kubernetes-validations": [{"rule": "self.a > 0"}]}""")!.AsObject();

        Assert.Throws<NotSupportedException>(() => StructuralSchema.ToJsonSchema(schema));
    }
}
