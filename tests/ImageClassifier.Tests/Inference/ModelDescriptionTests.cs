using ImageClassifier.Imaging;
using ImageClassifier.Inference;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Tests.Inference;

/// <summary>The order the preprocessing and labels are looked for in: a higher source wins over a lower one.</summary>
public sealed class ModelDescriptionTests : IDisposable
{
    private const string Stretch32 = """{"resize": "stretch", "size": 32, "mean": [0, 0, 0], "std": [1, 1, 1]}""";
    private const string ViT48 = """{"size": {"height": 48, "width": 48}, "do_normalize": false}""";
    private const string Id2Label = """{"id2label": {"0": "hf cat", "1": "hf dog"}}""";

    private static readonly ModelBundle Bundle = new("m", "/models/m.onnx", null, [], PreprocessingSpec.ImageNet);

    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("ic-description-");

    public void Dispose() => directory.Delete(recursive: true);

    [Fact]
    public void The_MLmodel_metadata_wins_over_a_preprocessor_config_and_model_json()
    {
        var bundle = ModelDescription.WithPreprocessing(Bundle, new ModelCompanions
        {
            RegistrySource = "the MLmodel file's metadata",
            RegistryPreprocessing = Stretch32,
            PreprocessorConfig = ViT48,
        }, Manifest());

        Assert.Equal(("the MLmodel file's metadata", 32), (bundle.PreprocessingSource, bundle.Preprocessing.Height));
    }

    [Fact]
    public void A_preprocessor_config_wins_over_model_json_which_wins_over_the_assumption()
    {
        var fromConfig = ModelDescription.WithPreprocessing(Bundle, new ModelCompanions { PreprocessorConfig = ViT48 }, Manifest());
        var fromManifest = ModelDescription.WithPreprocessing(Bundle, ModelCompanions.None, Manifest());
        var assumed = ModelDescription.WithPreprocessing(Bundle, ModelCompanions.None, manifest: null);

        Assert.Equal((HuggingFaceExport.PreprocessingSource, 48, ResizeMode.Stretch), (fromConfig.PreprocessingSource, fromConfig.Preprocessing.Height, fromConfig.Preprocessing.Resize));
        Assert.Equal((ModelBundleResolver.ManifestSource, 192), (fromManifest.PreprocessingSource, fromManifest.Preprocessing.Height));
        Assert.Equal((ModelBundle.AssumedPreprocessing, StatedPreprocessing.None), (assumed.PreprocessingSource, assumed.Stated));
    }

    [Fact]
    public void The_ONNX_file_s_own_metadata_wins_over_the_MLmodel_metadata()
    {
        var registered = ModelDescription.WithPreprocessing(Bundle, new ModelCompanions { RegistrySource = "the MLmodel file's metadata", RegistryPreprocessing = Stretch32 }, null);

        var bundle = ModelDescription.FromOnnxMetadata(registered, new Dictionary<string, string> { ["preprocessing"] = """{"size": 64, "resize": "stretch"}""" }, null);

        Assert.Equal((PreprocessingFormat.OnnxMetadataSource, 64), (bundle.PreprocessingSource, bundle.Preprocessing.Height));
    }

    [Fact]
    public async Task Labels_path_wins_over_id2label_which_wins_over_the_MLmodel_labels()
    {
        var labelsPath = Path.Combine(directory.FullName, "labels.txt");
        await File.WriteAllTextAsync(labelsPath, "file cat\nfile dog\n");
        var both = new ModelCompanions { Config = Id2Label, RegistrySource = "the MLmodel file's metadata", RegistryLabels = ["mlflow cat", "mlflow dog"] };

        Assert.Equal(["file cat", "file dog"], await NamesAsync(labelsPath, both));
        Assert.Equal(["hf cat", "hf dog"], await NamesAsync(null, both));
        Assert.Equal(["mlflow cat", "mlflow dog"], await NamesAsync(null, both with { Config = """{"architectures": []}""" }));
    }

    [Fact]
    public async Task The_MLmodel_labels_win_over_the_ONNX_file_s_which_win_over_the_fallback()
    {
        var fallback = Path.Combine(directory.FullName, "synset.txt");
        await File.WriteAllTextAsync(fallback, "n01440764 tench\n");
        var onnx = new Dictionary<string, string> { ["labels"] = """["onnx cat", "onnx dog"]""" };

        var stated = await ModelDescription.LabelsAsync(null, new ModelCompanions { RegistryLabels = ["mlflow cat", "mlflow dog"] }, () => fallback, assumeFallback: true, CancellationToken.None);
        var unstated = await ModelDescription.LabelsAsync(null, ModelCompanions.None, () => fallback, assumeFallback: true, CancellationToken.None);

        Assert.Equal(["mlflow cat", "mlflow dog"], Names(ModelDescription.FromOnnxMetadata(Bundle with { Labels = stated.Labels, LabelsAssumed = stated.Assumed }, onnx, 2)));
        Assert.Equal(["onnx cat", "onnx dog"], Names(ModelDescription.FromOnnxMetadata(Bundle with { Labels = unstated.Labels, LabelsAssumed = unstated.Assumed }, onnx, 2)));
        Assert.Equal(["class 0", "class 1"], Names(ModelDescription.FromOnnxMetadata(Bundle with { Labels = unstated.Labels, LabelsAssumed = unstated.Assumed }, new Dictionary<string, string>(), 2)));
    }

    [Fact]
    public async Task A_label_longer_than_its_bound_is_refused_before_it_reaches_a_log()
    {
        var companions = new ModelCompanions { RegistryLabels = ["cat", new string('x', ModelLabels.MaxNameChars + 1)] };

        var error = await Assert.ThrowsAsync<ModelUnavailableException>(() => NamesAsync(null, companions));

        Assert.Contains($"more than the {ModelLabels.MaxNameChars}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MODEL_PATH_takes_the_preprocessor_config_and_id2label_beside_it()
    {
        var model = Path.Combine(directory.FullName, "model.onnx");
        await File.WriteAllBytesAsync(model, [0]);
        await File.WriteAllTextAsync(Path.Combine(directory.FullName, "preprocessor_config.json"), ViT48);
        await File.WriteAllTextAsync(Path.Combine(directory.FullName, "config.json"), Id2Label);

        var bundle = await new ModelBundleResolver(Options.Create(new InferenceOptions { ModelPath = model }), []).ResolveAsync(CancellationToken.None);

        Assert.Equal((HuggingFaceExport.PreprocessingSource, 48), (bundle.PreprocessingSource, bundle.Preprocessing.Height));
        Assert.Equal(["hf cat", "hf dog"], Names(bundle));
    }

    [Fact]
    public async Task A_config_json_beside_MODEL_PATH_over_its_bound_is_refused_unread()
    {
        var model = Path.Combine(directory.FullName, "model.onnx");
        await File.WriteAllBytesAsync(model, [0]);
        await File.WriteAllTextAsync(Path.Combine(directory.FullName, "config.json"), new string(' ', ModelCompanions.MaxConfigBytes + 1));

        var error = await Assert.ThrowsAsync<InvalidDataException>(
            () => new ModelBundleResolver(Options.Create(new InferenceOptions { ModelPath = model }), []).ResolveAsync(CancellationToken.None));

        Assert.Contains($"more than the {ModelCompanions.MaxConfigBytes}", error.Message, StringComparison.Ordinal);
    }

    private static ModelManifest.PreprocessingSection Manifest() =>
        PreprocessingFormat.Parse("""{"resize": "pad", "size": [192, 192]}""", "model.json");

    private static async Task<string[]> NamesAsync(string? labelsPath, ModelCompanions companions)
    {
        var (labels, _) = await ModelDescription.LabelsAsync(labelsPath, companions, () => throw new InvalidOperationException("no fallback"), assumeFallback: false, CancellationToken.None);
        return [.. labels.Select(label => label.Name)];
    }

    private static string[] Names(ModelBundle bundle) => [.. bundle.Labels.Select(label => label.Name)];
}
