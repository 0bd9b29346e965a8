using ImageClassifier.Imaging;
using ImageClassifier.Inference;

namespace ImageClassifier.Tests.Inference;

/// <summary>
/// A Hugging Face preprocessor_config.json mapped onto the project's format as transformers' image
/// processors read its keys, and config.json's id2label as labels.
/// </summary>
public sealed class HuggingFaceExportTests
{
    [Fact]
    public void ConvNeXT_s_crop_pct_below_384_resizes_the_shortest_edge_to_it_divided_by_crop_pct_then_crops_it()
    {
        var spec = Spec("""{"size": {"shortest_edge": 224}, "crop_pct": 0.875, "resample": 3}""");

        Assert.Equal((ResizeMode.Crop, 256, 224, 224, Resample.Bicubic), (spec.Resize, spec.ResizeShorterSide, spec.Height, spec.Width, spec.Resample));
    }

    [Fact]
    public void ConvNeXT_s_crop_pct_from_384_on_stretches_to_the_square()
    {
        var spec = Spec("""{"size": {"shortest_edge": 384}, "crop_pct": 0.875}""");

        Assert.Equal((ResizeMode.Stretch, 384, 384), (spec.Resize, spec.Height, spec.Width));
    }

    [Fact]
    public void MobileNetV2_s_shortest_edge_and_centre_crop_are_the_format_s_crop()
    {
        var spec = Spec("""
            {"image_processor_type": "MobileNetV2ImageProcessor", "do_resize": true, "size": {"shortest_edge": 256},
             "do_center_crop": true, "crop_size": {"height": 224, "width": 224}, "resample": 2,
             "do_rescale": true, "rescale_factor": 0.00392156862745098, "do_normalize": true,
             "image_mean": [0.5, 0.5, 0.5], "image_std": [0.5, 0.5, 0.5]}
            """);

        Assert.Equal((ResizeMode.Crop, 256, 224, 224, Resample.Bilinear), (spec.Resize, spec.ResizeShorterSide, spec.Height, spec.Width, spec.Resample));
        Assert.Equal([0.5f, 0.5f, 0.5f], spec.Mean);
        Assert.Equal([0.5f, 0.5f, 0.5f], spec.Std);
        Assert.Equal(1f / 255f, spec.ScaleOf(0), 1e-7f);
    }

    [Fact]
    public void ViT_s_height_and_width_are_a_stretch_to_that_size()
    {
        var spec = Spec("""{"image_processor_type": "ViTImageProcessor", "size": {"height": 160, "width": 320}}""");

        Assert.Equal((ResizeMode.Stretch, 160, 320), (spec.Resize, spec.Height, spec.Width));
        Assert.True(HuggingFaceExport.Preprocessing("""{"size": {"height": 160, "width": 320}}""").Stated.HasFlag(StatedPreprocessing.Size));
    }

    [Theory]
    [InlineData(0, Resample.Nearest)]
    [InlineData(1, Resample.Lanczos)]
    [InlineData(2, Resample.Bilinear)]
    [InlineData(3, Resample.Bicubic)]
    public void PIL_s_resample_codes_are_the_format_s_filters(int code, Resample expected)
    {
        Assert.Equal(expected, Spec($$"""{"size": {"height": 224, "width": 224}, "resample": {{code}}}""").Resample);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(9)]
    public void PIL_s_box_Hamming_and_unknown_filters_are_refused_naming_the_key(int code)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Spec($$"""{"size": {"height": 224, "width": 224}, "resample": {{code}}}"""));

        Assert.Contains($"resample {code}", error.Message, StringComparison.Ordinal);
        Assert.Contains(HuggingFaceExport.PreprocessingSource, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Do_normalize_false_leaves_the_values_unnormalised()
    {
        var spec = Spec("""{"size": {"height": 48, "width": 48}, "do_normalize": false, "image_mean": [0.5, 0.5, 0.5], "image_std": [0.2, 0.2, 0.2]}""");

        Assert.Equal([0f, 0f, 0f], spec.Mean);
        Assert.Equal([1f, 1f, 1f], spec.Std);
    }

    [Fact]
    public void Do_rescale_false_keeps_pixels_0_to_255()
    {
        var spec = Spec("""{"size": {"height": 48, "width": 48}, "do_rescale": false, "rescale_factor": 0.5, "image_mean": [127.5], "image_std": [127.5]}""");

        Assert.Equal([1f], spec.Scale);
        Assert.Equal([127.5f, 127.5f, 127.5f], spec.Mean);
    }

    [Theory]
    [InlineData("""{"size": {"shortest_edge": 224}}""", "no fixed input size")]
    [InlineData("""{"size": {"shortest_edge": 224, "longest_edge": 1333}}""", "longest_edge")]
    [InlineData("""{"size": {"height": 256, "width": 256}, "do_center_crop": true, "crop_size": {"height": 224, "width": 224}}""", "not a resize done here")]
    [InlineData("""{"do_resize": false, "do_center_crop": true, "crop_size": 224}""", "do_center_crop without do_resize")]
    [InlineData("""{"size": {"height": 224, "width": 224}, "do_normalize": "yes"}""", "do_normalize must be true or false")]
    [InlineData("""[1, 2]""", "not a JSON object")]
    public void What_the_format_cannot_do_is_refused_saying_why(string json, string why)
    {
        var error = Assert.Throws<InvalidOperationException>(() => HuggingFaceExport.Preprocessing(json));

        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Id2label_gives_the_names_in_class_order()
    {
        Assert.Equal(["cat", "dog", "bird"], HuggingFaceExport.Labels("""{"id2label": {"1": "dog", "0": "cat", "2": "bird"}, "label2id": {}}"""));
        Assert.Null(HuggingFaceExport.Labels("""{"architectures": ["X"]}"""));
    }

    [Theory]
    [InlineData("""{"id2label": {"0": "cat", "2": "dog"}}""", "each once")]
    [InlineData("""{"id2label": {"zero": "cat"}}""", "class number")]
    [InlineData("""{"id2label": ["cat"]}""", "object")]
    public void An_id2label_that_is_not_0_to_n_is_refused(string json, string why)
    {
        var error = Assert.Throws<InvalidOperationException>(() => HuggingFaceExport.Labels(json));

        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }

    private static PreprocessingSpec Spec(string json) => HuggingFaceExport.Preprocessing(json).ToSpec("test");
}
