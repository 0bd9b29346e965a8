using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ImageClassifier.Tests.Harness;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace ImageClassifier.Tests.MLflow;

/// <summary>
/// The community models, each registered in the MLflow stand-in with its maker's preprocessing in
/// one of the sources a model states it in (the ONNX file's own metadata_props, the MLmodel's
/// metadata, a Hugging Face preprocessor_config.json) and served from <c>MODEL_URI=models:/NAME@champion</c> with
/// no other setting: each answers the top-1 of a reference computed here, independently, with
/// ONNX Runtime on a tensor made by straightforward code from the maker's stated preprocessing
/// (each model's SOURCE.md). The model files are read where they lie, never copied into the repository.
/// </summary>
public sealed class CommunityModelServingTests : IAsyncLifetime
{
    internal const string Cifar = "keras-cifar10-cnn";
    private const string Fer = "keras-fer2013-mini-xception";
    private const string Paddle = "paddleocr-textline-cls-v2";

    private MLflowStandIn mlflow = null!;
    private readonly string cache = Path.Combine(Path.GetTempPath(), "mlflow-community-" + Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync() => mlflow = await MLflowStandIn.StartAsync();

    public async Task DisposeAsync()
    {
        await mlflow.DisposeAsync();
        if (Directory.Exists(cache))
        {
            Directory.Delete(cache, recursive: true);
        }
    }

    [Fact]
    public async Task The_keras_cifar_model_NHWC_stretched_to_32_answers_the_reference_top_1_on_its_sample_photos()
    {
        await using var app = await ServeAsync(Cifar, "cifar10_model.onnx", """{"resize": "stretch", "size": 32, "mean": [0, 0, 0], "std": [1, 1, 1]}""");
        var client = await app.CreateReadyClientAsync();

        foreach (var (photo, expected) in CifarSamples())
        {
            Assert.Equal(expected, await Top1Async(client, photo));
        }
    }

    [Fact]
    public async Task The_grey_keras_expression_model_answers_the_reference_top_1_on_the_astronaut_s_face()
    {
        await using var app = await ServeAsync(Fer, "fer2013_mini_XCEPTION.onnx", """{"resize": "stretch", "size": [48, 48], "channels": "grey", "mean": [0], "std": [1]}""");
        var client = await app.CreateReadyClientAsync();
        var (face, expected) = FerSample();

        Assert.Equal(expected, await Top1Async(client, face));
    }

    [Fact]
    public async Task PaddleOCR_s_direction_classifier_answers_the_reference_top_1_upright_and_turned_180_degrees()
    {
        await using var app = await ServeAsync(Paddle, "ch_ppocr_mobile_v2.0_cls_infer.onnx", """
            {"resize": "pad", "size": [48, 192], "channels": "bgr", "mean": [0.5, 0.5, 0.5], "std": [0.5, 0.5, 0.5],
             "padAnchor": "start", "padValue": 0, "output": "probabilities"}
            """);
        var client = await app.CreateReadyClientAsync();

        var answers = new List<string>();
        foreach (var (line, expected) in PaddleSamples())
        {
            var served = await Top1Async(client, line);
            Assert.Equal(expected, served);
            answers.Add(served);
        }

        Assert.Equal(["0", "180"], answers);
    }

    [Theory]
    [InlineData(Cifar, "cifar10_model.onnx", """{"resize": "stretch", "size": 32}""", new long[] { -1, 32, 32, 3 })]
    [InlineData(Paddle, "ch_ppocr_mobile_v2.0_cls_infer.onnx", """{"resize": "pad", "size": [48, 192], "padAnchor": "start"}""", new long[] { -1, 3, 48, 192 })]
    public async Task The_v2_metadata_gives_the_input_an_infer_must_send_in_the_graph_s_layout_its_dynamic_sides_fixed(
        string model, string file, string preprocessing, long[] expected)
    {
        await using var app = await ServeAsync(model, file, preprocessing);
        var client = await app.CreateReadyClientAsync();

        using var response = await client.GetAsync(new Uri($"/v2/models/{model}", UriKind.Relative));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var input = Assert.Single(body.RootElement.GetProperty("inputs").EnumerateArray());
        Assert.Equal("FP32", input.GetProperty("datatype").GetString());
        Assert.Equal(expected, input.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
    }

    [Fact]
    public async Task The_keras_cifar_model_takes_its_preprocessing_and_labels_from_the_MLmodel_metadata_mlflow_onnx_log_model_writes()
    {
        await using var app = Serve(Cifar, new()
        {
            ["model.onnx"] = await File.ReadAllBytesAsync(SharedModels.CommunityFile(Cifar, "cifar10_model.onnx")),
            ["MLmodel"] = CifarMLmodel(),
        });
        var client = await app.CreateReadyClientAsync();

        foreach (var (photo, expected) in CifarSamples())
        {
            Assert.Equal($"cifar {expected}", await Top1Async(client, photo));
        }

        AssertPreprocessingFrom(app, "the MLmodel file's metadata");
    }

    [Fact]
    public async Task The_grey_expression_model_takes_a_Hugging_Face_preprocessor_config_and_the_labels_of_its_config_json()
    {
        await using var app = Serve(Fer, new()
        {
            ["model.onnx"] = await File.ReadAllBytesAsync(SharedModels.CommunityFile(Fer, "fer2013_mini_XCEPTION.onnx")),
            ["preprocessor_config.json"] = Encoding.UTF8.GetBytes("""
                {"image_processor_type": "ViTImageProcessor", "do_resize": true, "size": {"height": 48, "width": 48},
                 "resample": 2, "do_rescale": true, "rescale_factor": 0.00392156862745098, "do_normalize": false,
                 "image_mean": [0.5, 0.5, 0.5], "image_std": [0.5, 0.5, 0.5]}
                """),
            ["config.json"] = Id2Label(Fer, "face "),
        });
        var client = await app.CreateReadyClientAsync();
        var (face, expected) = FerSample();

        Assert.Equal($"face {expected}", await Top1Async(client, face));
        AssertPreprocessingFrom(app, "the Hugging Face preprocessor_config.json");
    }

    [Fact]
    public async Task PaddleOCR_s_classifier_takes_its_pad_from_the_MLmodel_metadata_and_its_labels_from_config_json_id2label()
    {
        await using var app = Serve(Paddle, new()
        {
            ["model.onnx"] = await File.ReadAllBytesAsync(SharedModels.CommunityFile(Paddle, "ch_ppocr_mobile_v2.0_cls_infer.onnx")),
            ["MLmodel"] = Encoding.UTF8.GetBytes("""
                flavors:
                  onnx: {data: model.onnx}
                metadata:
                  preprocessing: {resize: pad, size: [48, 192], channels: bgr, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5],
                    padAnchor: start, padValue: 0, output: probabilities}
                """),
            ["config.json"] = Id2Label(Paddle, "turned "),
        });
        var client = await app.CreateReadyClientAsync();

        foreach (var (line, expected) in PaddleSamples())
        {
            Assert.Equal($"turned {expected}", await Top1Async(client, line));
        }

        AssertPreprocessingFrom(app, "the MLmodel file's metadata");
    }

    [Fact]
    public async Task Labels_in_the_ONNX_file_s_metadata_props_name_the_classes_of_a_model_registered_without_a_labels_file()
    {
        var onnx = WithMetadata(await File.ReadAllBytesAsync(SharedModels.CommunityFile(Cifar, "cifar10_model.onnx")), "preprocessing",
            """{"resize": "stretch", "size": 32, "mean": [0, 0, 0], "std": [1, 1, 1]}""");
        var labels = File.ReadAllLines(SharedModels.CommunityFile(Cifar, "labels.txt")).Where(line => line.Length > 0).Select(line => $"cifar {line}");
        onnx = WithMetadata(onnx, "labels", System.Text.Json.JsonSerializer.Serialize(labels.ToArray()));
        mlflow.RegisterModelVersion(Cifar, "1", new Dictionary<string, byte[]> { ["model.onnx"] = onnx }, "champion");
        await using var app = new FunctionApp(new Dictionary<string, string?>
        {
            ["MLFLOW_TRACKING_URI"] = mlflow.BaseAddress.AbsoluteUri,
            ["MODEL_URI"] = $"models:/{Cifar}@champion",
            ["MODEL_CACHE_DIR"] = cache,
        });
        var client = await app.CreateReadyClientAsync();

        Assert.Equal("cifar automobile", await Top1Async(client, await File.ReadAllBytesAsync(SharedModels.CommunityFile(Cifar, "sample_car.jpg"))));
    }

    /// <summary>Registers the model, its labels and <paramref name="preprocessing"/> in its metadata_props as version 1, alias champion.</summary>
    private async Task<FunctionApp> ServeAsync(string model, string file, string preprocessing) => Serve(model, new()
    {
        ["model.onnx"] = WithMetadata(await File.ReadAllBytesAsync(SharedModels.CommunityFile(model, file)), "preprocessing", preprocessing),
        ["labels.txt"] = await File.ReadAllBytesAsync(SharedModels.CommunityFile(model, "labels.txt")),
    });

    /// <summary>Registers <paramref name="files"/> as version 1 of <paramref name="model"/>, alias champion, served from MODEL_URI with no other setting.</summary>
    private FunctionApp Serve(string model, Dictionary<string, byte[]> files)
    {
        mlflow.RegisterModelVersion(model, "1", files, "champion");
        return new FunctionApp(new Dictionary<string, string?>
        {
            ["MLFLOW_TRACKING_URI"] = mlflow.BaseAddress.AbsoluteUri,
            ["MODEL_URI"] = $"models:/{model}@champion",
            ["MODEL_CACHE_DIR"] = cache,
        });
    }

    private static void AssertPreprocessingFrom(FunctionApp app, string source) =>
        Assert.Contains(app.Logs.Entries, entry => entry.Message.Contains("loaded from", StringComparison.Ordinal)
            && Equals(entry.Values.GetValueOrDefault("PreprocessingSource"), source));

    /// <summary>
    /// The CIFAR model's MLmodel as <c>mlflow.onnx.log_model(..., metadata={"preprocessing": ..., "labels": ...})</c>
    /// writes it (yaml.safe_dump: keys sorted, lists in block style), its labels after <c>cifar </c>.
    /// </summary>
    internal static byte[] CifarMLmodel()
    {
        var labels = string.Join('\n', Labels(Cifar).Select(name => $"  - cifar {name}"));
        var mlmodel = $$"""
            artifact_path: model
            flavors:
              onnx:
                code: null
                data: model.onnx
                onnx_version: 1.17.0
              python_function:
                data: model.onnx
                loader_module: mlflow.onnx
            metadata:
              labels:
            {{labels}}
              preprocessing:
                mean:
                - 0.0
                - 0.0
                - 0.0
                resize: stretch
                size: 32
                std:
                - 1.0
                - 1.0
                - 1.0
            mlflow_version: 2.20.2
            model_uuid: 0f6b4f0c3f2a4a3c9d0f2b1e5a6c7d8e
            """;
        return Encoding.UTF8.GetBytes(mlmodel);
    }

    /// <summary>The CIFAR model's sample photos, each with the reference's label: stretched to 32x32, /255, NHWC.</summary>
    internal static IEnumerable<(byte[] Photo, string Expected)> CifarSamples()
    {
        foreach (var sample in new[] { "sample_bird.jpg", "sample_car.jpg", "sample_frog.jpg" })
        {
            using var image = Image.Load<Rgb24>(SharedModels.CommunityFile(Cifar, sample));
            image.Mutate(x => x.Resize(32, 32));
            var tensor = new DenseTensor<float>([1, 32, 32, 3]);
            ForEachPixel(image, (x, y, p) =>
            {
                tensor[0, y, x, 0] = p.R / 255f;
                tensor[0, y, x, 1] = p.G / 255f;
                tensor[0, y, x, 2] = p.B / 255f;
            });

            yield return (File.ReadAllBytes(SharedModels.CommunityFile(Cifar, sample)), Reference(Cifar, "cifar10_model.onnx", tensor));
        }
    }

    /// <summary>A face cropped from the astronaut photo, with the reference's label: BT.601 grey, stretched to 48x48, /255.</summary>
    private static (byte[] Face, string Expected) FerSample()
    {
        using var face = Image.Load<Rgb24>(TestImages.Read("astronaut.png"));
        face.Mutate(x => x.Crop(new Rectangle(160, 50, 130, 130)));
        using var small = face.Clone(x => x.Resize(48, 48));
        var tensor = new DenseTensor<float>([1, 48, 48, 1]);
        ForEachPixel(small, (x, y, p) => tensor[0, y, x, 0] = ((0.299f * p.R) + (0.587f * p.G) + (0.114f * p.B)) / 255f);
        return (Png(face), Reference(Fer, "fer2013_mini_XCEPTION.onnx", tensor));
    }

    /// <summary>
    /// A text line upright and turned 180°, each with the reference's label: PaddleOCR's resize to
    /// height 48 keeping the aspect, at the left of 48x192 with zeros after it, BGR, scaled to [-1, 1].
    /// </summary>
    private static IEnumerable<(byte[] Line, string Expected)> PaddleSamples()
    {
        using var line = Image.Load<Rgb24>(SharedModels.CommunityFile(Paddle, "test_textline.png"));
        // Four times as wide as high, where PaddleOCR's resize (height 48, width min(192, ceil(48·w/h))) and the contract's pad agree.
        line.Mutate(x => x.Crop(new Rectangle(0, 0, line.Height * 4, line.Height)));
        foreach (var turn in new[] { RotateMode.None, RotateMode.Rotate180 })
        {
            using var turned = line.Clone(x => x.Rotate(turn));
            var width = Math.Min(192, (int)Math.Ceiling(48.0 * turned.Width / turned.Height));
            using var resized = turned.Clone(x => x.Resize(width, 48));
            var tensor = new DenseTensor<float>([1, 3, 48, 192]);
            ForEachPixel(resized, (x, y, p) =>
            {
                tensor[0, 0, y, x] = ((p.B / 255f) - 0.5f) / 0.5f;
                tensor[0, 1, y, x] = ((p.G / 255f) - 0.5f) / 0.5f;
                tensor[0, 2, y, x] = ((p.R / 255f) - 0.5f) / 0.5f;
            });

            yield return (Png(turned), Reference(Paddle, "ch_ppocr_mobile_v2.0_cls_infer.onnx", tensor));
        }
    }

    private static string[] Labels(string model) =>
        [.. File.ReadAllLines(SharedModels.CommunityFile(model, "labels.txt")).Where(line => line.Length > 0)];

    /// <summary>A Hugging Face config.json whose id2label names the model's classes, each after <paramref name="prefix"/>.</summary>
    private static byte[] Id2Label(string model, string prefix) =>
        System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["architectures"] = new[] { "ForImageClassification" },
            ["id2label"] = Labels(model).Select((name, i) => (name, i)).ToDictionary(label => label.i.ToString(System.Globalization.CultureInfo.InvariantCulture), label => prefix + label.name),
        });

    private static async Task<string> Top1Async(HttpClient client, byte[] image)
    {
        using var content = new ByteArrayContent(image);
        content.Headers.ContentType = new MediaTypeHeaderValue(image[0] == 0x89 ? "image/png" : "image/jpeg");
        using var response = await client.PostAsync(new Uri("/", UriKind.Relative), content);
        var data = Replies.DataOf(await Replies.ReadEventAsync(response));
        return Replies.Labels(data)[0];
    }

    /// <summary>ONNX Runtime on the original file: the label of the highest output.</summary>
    private static string Reference(string model, string file, DenseTensor<float> tensor)
    {
        using var session = new InferenceSession(SharedModels.CommunityFile(model, file));
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.Single(), tensor)]);
        var scores = results[0].AsEnumerable<float>().ToArray();
        return Labels(model)[Array.IndexOf(scores, scores.Max())];
    }

    private static void ForEachPixel(Image<Rgb24> image, Action<int, int, Rgb24> write)
    {
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                write(x, y, image[x, y]);
            }
        }
    }

    private static byte[] Png(Image image)
    {
        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        return stream.ToArray();
    }

    /// <summary>
    /// The model with one more <c>metadata_props</c> entry (ModelProto field 14, a key-value
    /// message): a protobuf field may follow the others, so appending it is the whole edit.
    /// </summary>
    private static byte[] WithMetadata(byte[] onnx, string key, string value)
    {
        var entry = new List<byte>();
        AppendField(entry, 1, Encoding.UTF8.GetBytes(key));
        AppendField(entry, 2, Encoding.UTF8.GetBytes(value));
        var model = new List<byte>(onnx);
        AppendField(model, 14, [.. entry]);
        return [.. model];
    }

    private static void AppendField(List<byte> message, int field, byte[] bytes)
    {
        AppendVarint(message, (uint)((field << 3) | 2));
        AppendVarint(message, (uint)bytes.Length);
        message.AddRange(bytes);
    }

    private static void AppendVarint(List<byte> message, uint value)
    {
        while (value >= 0x80)
        {
            message.Add((byte)(value | 0x80));
            value >>= 7;
        }

        message.Add((byte)value);
    }
}
