using System.Text.Json;
using ImageClassifier.Imaging;
using ImageClassifier.Inference;

namespace ImageClassifier.Tests.Inference;

public class ModelManifestTests
{
    [Fact]
    public async Task The_repository_s_model_json_gives_the_imagenet_convention()
    {
        var json = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "config", "model.json"));

        var spec = Parse(json).Preprocessing.ToSpec();

        Assert.Equal((ResizeMode.Crop, 256, 224, 224, TensorLayout.Nchw, ChannelOrder.Rgb), (spec.Resize, spec.ResizeShorterSide, spec.Width, spec.Height, spec.Layout, spec.Channels));
        Assert.Equal(PreprocessingSpec.ImageNet.Mean, spec.Mean);
        Assert.Equal(PreprocessingSpec.ImageNet.Std, spec.Std);
        Assert.Equal(PreprocessingSpec.ImageNet.ScaleOf(0), spec.ScaleOf(0));
        Assert.Equal(Resample.Bilinear, spec.Resample);
    }

    [Fact]
    public void The_optional_fields_describe_another_model_s_input()
    {
        var spec = Parse(Manifest("""
            {"resize": "pad", "resample": "bicubic", "width": 320, "height": 160, "layout": "NHWC", "channels": "bgr",
             "scale": [1], "mean": [103.9, 116.8, 123.7], "std": [1, 1, 1], "padValue": 114, "padAnchor": "start"}
            """)).Preprocessing.ToSpec();

        Assert.Equal((ResizeMode.Pad, 320, 160, TensorLayout.Nhwc, ChannelOrder.Bgr, 114f, PadAnchor.Start), (spec.Resize, spec.Width, spec.Height, spec.Layout, spec.Channels, spec.PadValue, spec.PadAnchor));
        Assert.Equal(Resample.Bicubic, spec.Resample);
        Assert.Equal([1f], spec.Scale);
        Assert.Equal([103.9f, 116.8f, 123.7f], spec.Mean);
    }

    [Fact]
    public void Absent_fields_keep_the_imagenet_values()
    {
        var spec = Parse(Manifest("""{"cropSize": 192, "channels": "grey", "mean": [0.5], "std": [0.5]}""")).Preprocessing.ToSpec();

        Assert.Equal((ResizeMode.Crop, 256, 192, 192, ChannelOrder.Grey), (spec.Resize, spec.ResizeShorterSide, spec.Width, spec.Height, spec.Channels));
        Assert.Equal([1L, 1, 192, 192], spec.TensorShape(1));
    }

    [Fact]
    public void A_section_that_makes_no_valid_spec_is_refused_saying_why()
    {
        var manifest = Parse(Manifest("""{"cropSize": 300}"""));

        var failure = Assert.Throws<InvalidOperationException>(() => manifest.Preprocessing.ToSpec());

        Assert.Contains("model.json's preprocessing", failure.Message, StringComparison.Ordinal);
        Assert.Contains("resizeShorterSide (256) must be at least 300", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_layout_is_refused_by_the_parser()
    {
        Assert.Throws<JsonException>(() => Parse(Manifest("""{"layout": "CHWN"}""")));
    }

    [Theory]
    [InlineData("""{"size": [48, 192], "resize": "pad", "output": "probabilities"}""", 48, 192)]
    [InlineData("""{"size": 32, "resize": "stretch"}""", 32, 32)]
    public void The_format_s_size_is_height_and_width_or_one_number_and_is_stated(string json, int height, int width)
    {
        var section = PreprocessingFormat.Parse(json, "test");

        var spec = section.ToSpec("test");
        Assert.Equal((height, width), (spec.Height, spec.Width));
        Assert.True(section.Stated.HasFlag(StatedPreprocessing.Size));
        Assert.False(section.Stated.HasFlag(StatedPreprocessing.Layout));
    }

    [Theory]
    [InlineData("""{"size": [1, 2, 3]}""", "size must be [height, width]")]
    [InlineData("""{"channels": "cmyk"}""", "not the format's JSON object")]
    [InlineData("""{"resize": "pad", "std": [0, 1, 1]}""", "std must not be 0")]
    public void A_preprocessing_that_is_not_the_format_is_refused_naming_its_source(string json, string why)
    {
        var error = Assert.Throws<InvalidOperationException>(() => PreprocessingFormat.Parse(json, "the ONNX file"));

        Assert.Contains("the ONNX file", error.Message, StringComparison.Ordinal);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_preprocessing_larger_than_its_limit_is_refused_before_it_is_parsed()
    {
        var json = $$"""{"mean": [{{string.Join(',', Enumerable.Repeat("0", PreprocessingFormat.MaxChars))}}]}""";

        var error = Assert.Throws<InvalidOperationException>(() => PreprocessingFormat.Parse(json, "test"));

        Assert.Contains($"more than the {PreprocessingFormat.MaxChars}", error.Message, StringComparison.Ordinal);
    }

    private static ModelManifest Parse(string json) =>
        JsonSerializer.Deserialize(json, ModelManifestJsonContext.Default.ModelManifest) ?? throw new InvalidOperationException("empty");

    private static string Manifest(string preprocessing) => $$"""
        {"name": "m", "model": {"file": "m.onnx", "url": "https://example.com/m.onnx", "sha256": "00"},
         "labels": {"file": "l.txt", "url": "https://example.com/l.txt", "sha256": "00"},
         "preprocessing": {{preprocessing}}}
        """;
}
