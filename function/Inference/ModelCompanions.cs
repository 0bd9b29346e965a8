namespace ImageClassifier.Inference;

/// <summary>
/// What the files beside a model's ONNX file say about it, read whole within their bounds by
/// whoever has them (a registry source, or the folder of <c>MODEL_PATH</c>); which of them wins is
/// <see cref="ModelDescription"/>'s to decide.
/// </summary>
public sealed record ModelCompanions
{
    /// <summary>A Hugging Face export's preprocessing file.</summary>
    public const string PreprocessorConfigFile = "preprocessor_config.json";

    /// <summary>A Hugging Face export's model configuration, read for its <c>id2label</c>.</summary>
    public const string ConfigFile = "config.json";

    /// <summary>A preprocessor_config.json is at most as large as the format's own JSON: its keys take a few hundred bytes.</summary>
    public const int MaxPreprocessorConfigBytes = PreprocessingFormat.MaxChars;

    /// <summary>A config.json is at most a mebibyte, as a labels file: id2label and label2id of thousands of classes fit.</summary>
    public const int MaxConfigBytes = ModelBundleResolver.MaxLabelsBytes;

    public static ModelCompanions None { get; } = new();

    /// <summary>The text of preprocessor_config.json, when there is one.</summary>
    public string? PreprocessorConfig { get; init; }

    /// <summary>The text of config.json, when there is one.</summary>
    public string? Config { get; init; }

    /// <summary>Where the registry's own metadata comes from (MLflow's MLmodel), for the load log and errors.</summary>
    public string? RegistrySource { get; init; }

    /// <summary>The preprocessing the registry's metadata states, as the format's JSON.</summary>
    public string? RegistryPreprocessing { get; init; }

    /// <summary>The labels the registry's metadata states, in output order.</summary>
    public IReadOnlyList<string>? RegistryLabels { get; init; }

    /// <summary>
    /// preprocessor_config.json and config.json in <paramref name="directory"/>, each refused when
    /// larger than its bound before it is read.
    /// </summary>
    /// <exception cref="InvalidDataException">A file is larger than its bound.</exception>
    public static async Task<ModelCompanions> ReadBesideAsync(string directory, CancellationToken cancellationToken) => new()
    {
        PreprocessorConfig = await ReadAsync(Path.Combine(directory, PreprocessorConfigFile), MaxPreprocessorConfigBytes, cancellationToken),
        Config = await ReadAsync(Path.Combine(directory, ConfigFile), MaxConfigBytes, cancellationToken),
    };

    private static async Task<string?> ReadAsync(string path, int maxBytes, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        await using var stream = File.OpenRead(path);
        if (stream.Length > maxBytes)
        {
            throw new InvalidDataException($"{path} has {stream.Length} bytes, more than the {maxBytes} it may have.");
        }

        var bytes = new byte[stream.Length];
        await stream.ReadExactlyAsync(bytes, cancellationToken);
        return System.Text.Encoding.UTF8.GetString(bytes);
    }
}
