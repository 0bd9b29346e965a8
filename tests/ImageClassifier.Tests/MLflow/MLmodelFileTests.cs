using ImageClassifier.Imaging;
using ImageClassifier.Inference;
using ImageClassifier.MLflow.Registry;

namespace ImageClassifier.Tests.MLflow;

/// <summary>The MLmodel file's metadata, read from untrusted YAML within its bounds.</summary>
public sealed class MLmodelFileTests
{
    private const string Flavors = """
        artifact_path: model
        flavors:
          onnx:
            data: model.onnx
            onnx_version: 1.17.0
        mlflow_version: 2.20.2

        """;

    [Fact]
    public void An_MLmodel_without_metadata_states_nothing()
    {
        Assert.Equal((null, null), MLmodelFile.Read(Flavors));
        Assert.Equal((null, null), MLmodelFile.Read(Flavors + "metadata: null\n"));
    }

    [Fact]
    public void The_preprocessing_mlflow_writes_becomes_the_format_s_json()
    {
        // As yaml.safe_dump writes metadata={"preprocessing": {...}}: keys sorted, lists in block style.
        var (json, labels) = MLmodelFile.Read(Flavors + """
            metadata:
              preprocessing:
                channels: grey
                mean:
                - 0.5
                output: probabilities
                resize: pad
                size:
                - 48
                - 192
                std:
                - 0.25
                padAnchor: start
                scale:
                - 0.00392156862745098
                padValue: -1
            """);

        var spec = PreprocessingFormat.Parse(json!, "test").ToSpec("test");
        Assert.Null(labels);
        Assert.Equal((ResizeMode.Pad, 48, 192, ChannelOrder.Grey, PadAnchor.Start, -1f), (spec.Resize, spec.Height, spec.Width, spec.Channels, spec.PadAnchor, spec.PadValue));
        Assert.Equal([0.5f], spec.Mean);
        Assert.Equal([0.25f], spec.Std);
        Assert.Equal([1f / 255f], spec.Scale);
        Assert.Equal(ModelOutput.Probabilities, PreprocessingFormat.Parse(json!, "test").Output);
    }

    [Fact]
    public void A_quoted_number_stays_a_string_and_is_refused_by_the_format()
    {
        var (json, _) = MLmodelFile.Read(Flavors + "metadata:\n  preprocessing:\n    size: '32'\n");

        Assert.Throws<InvalidOperationException>(() => PreprocessingFormat.Parse(json!, "test"));
    }

    [Fact]
    public void The_labels_are_the_list_under_metadata()
    {
        var (json, labels) = MLmodelFile.Read(Flavors + "metadata:\n  labels:\n  - airplane\n  - 'true'\n  - 3\n");

        Assert.Null(json);
        Assert.Equal(["airplane", "true", "3"], labels);
    }

    [Fact]
    public void An_alias_bomb_is_refused_at_the_first_alias()
    {
        var bomb = Flavors + """
            a: &a [x, x, x, x, x, x, x, x, x, x]
            b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
            c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
            d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
            metadata:
              labels: *d
            """;

        var error = Assert.Throws<MLmodelRefusedException>(() => MLmodelFile.Read(bomb));

        Assert.Contains("alias", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_over_its_size_is_refused_before_it_is_parsed()
    {
        var error = Assert.Throws<MLmodelRefusedException>(() => MLmodelFile.Read(Flavors + "# " + new string('x', MLmodelFile.MaxBytes)));

        Assert.Contains($"{MLmodelFile.MaxBytes} bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_deeper_than_the_bound_is_refused_as_it_is_read()
    {
        var deep = Flavors + "metadata: " + new string('[', MLmodelFile.MaxDepth + 1) + new string(']', MLmodelFile.MaxDepth + 1) + "\n";

        var error = Assert.Throws<MLmodelRefusedException>(() => MLmodelFile.Read(deep));

        Assert.Contains($"deeper than {MLmodelFile.MaxDepth}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void More_nodes_than_the_bound_are_refused()
    {
        var wide = Flavors + "metadata:\n  labels: [" + string.Join(',', Enumerable.Repeat("a", MLmodelFile.MaxNodes)) + "]\n";

        var error = Assert.Throws<MLmodelRefusedException>(() => MLmodelFile.Read(wide));

        Assert.Contains($"more than {MLmodelFile.MaxNodes} nodes", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("metadata: [1, 2]\n", "metadata must be a mapping")]
    [InlineData("metadata:\n  preprocessing: [1]\n", "metadata.preprocessing must be a mapping")]
    [InlineData("metadata:\n  labels: {a: b}\n", "metadata.labels must be a list")]
    [InlineData("metadata: {labels: [a\n", "not YAML")]
    public void A_metadata_of_the_wrong_shape_is_refused_saying_which(string yaml, string why)
    {
        var error = Assert.Throws<MLmodelRefusedException>(() => MLmodelFile.Read(Flavors + yaml));

        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }
}
