using System.Security.Cryptography;
using System.Text.RegularExpressions;
using ImageClassifier.Inference;
using Microsoft.Extensions.Options;

namespace ImageClassifier.MLflow;

/// <summary>
/// Fetches the model <c>MODEL_URI</c> names from the MLflow Model Registry into the cache
/// directory. Until it has the files it keeps trying, with backoff, and says why in the logs:
/// the function stays not ready rather than serve any other model.
/// </summary>
public sealed partial class RegisteredModelSource(
    MLflowRegistryClient registry,
    MLflowArtifactClient artifacts,
    IOptions<MLflowOptions> options,
    TimeProvider timeProvider,
    ILogger<RegisteredModelSource> logger) : IModelSource
{
    /// <summary>The file names, at the model's root, of labels a model may carry (one class a line).</summary>
    public static IReadOnlyList<string> LabelFileNames { get; } = ["labels.txt", "synset.txt"];

    public static TimeSpan FirstRetryDelay { get; } = TimeSpan.FromSeconds(1);

    public static TimeSpan MaxRetryDelay { get; } = TimeSpan.FromSeconds(60);

    /// <summary>The model asked for, or null when <c>MODEL_URI</c> is unset.</summary>
    public RegisteredModelUri? Requested =>
        RegisteredModelUri.TryParse(options.Value.ModelUri, out var uri) ? uri : null;

    public string Setting => "MODEL_URI";

    public bool IsRequested => Requested is not null;

    public async Task<SourcedModel> FetchAsync(CancellationToken cancellationToken)
    {
        var files = await DownloadAsync(cancellationToken);
        return new SourcedModel(files.Name, files.ModelPath, files.LabelsPath, files.Sha256);
    }

    /// <summary>Downloads the requested model, retrying until it succeeds or the host stops.</summary>
    public async Task<RegisteredModelFiles> DownloadAsync(CancellationToken cancellationToken)
    {
        var model = Requested ?? throw new InvalidOperationException("MODEL_URI is not set.");
        var delay = FirstRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await DownloadOnceAsync(model, cancellationToken);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("Model {ModelUri} is not loaded yet (attempt {Attempt}): {Reason}. Retrying in {Delay}; the function is not ready meanwhile",
                    model, attempt, Reason(exception), delay);
                logger.LogDebug(exception, "Model registry failure");
                await Task.Delay(delay, timeProvider, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }
    }

    private async Task<RegisteredModelFiles> DownloadOnceAsync(RegisteredModelUri model, CancellationToken cancellationToken)
    {
        var version = await registry.GetModelVersionAsync(model, cancellationToken);
        if (version.Status is { } status && status != "READY")
        {
            throw new InvalidOperationException($"version {version.Version} of {model.Name} is {status}, not READY");
        }

        if (!Digits().IsMatch(version.Version))
        {
            throw new InvalidDataException($"the registry named version '{version.Version}', not a number");
        }

        var artifactUri = await registry.GetDownloadUriAsync(model.Name, version.Version, cancellationToken);
        var files = await artifacts.ListAsync(artifactUri, string.Empty, cancellationToken);
        var onnx = files.Where(file => !file.IsDir && file.Path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase)).ToList();
        var modelFile = onnx.FirstOrDefault(file => file.Path == "model.onnx") ?? (onnx.Count == 1 ? onnx[0] : null)
            ?? throw new InvalidDataException($"{artifactUri} holds {onnx.Count} .onnx files; one (or model.onnx) is needed");
        var labelsFile = LabelFileNames.Select(name => files.FirstOrDefault(file => !file.IsDir && file.Path == name)).FirstOrDefault(file => file is not null);

        var directory = Path.Combine(options.Value.ModelCacheDirectory, SafeName(model.Name), version.Version);
        Directory.CreateDirectory(directory);
        var modelPath = await FetchAsync(artifactUri, modelFile, directory, cancellationToken);
        var labelsPath = labelsFile is null ? null : await FetchAsync(artifactUri, labelsFile, directory, cancellationToken);

        string sha256;
        await using (var stream = File.OpenRead(modelPath))
        {
            sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
        }

        logger.LogInformation("Model {ModelUri} is version {Version} (run {RunId}): {File} downloaded to {Path}, sha256 {Sha256}, labels {Labels}",
            model, version.Version, version.RunId, modelFile.Path, modelPath, sha256, labelsPath ?? "the default ones");
        return new RegisteredModelFiles($"{model.Name}/{version.Version}", modelPath, labelsPath, sha256, version);
    }

    /// <summary>
    /// Downloads one file under a temporary name and renames it only once it is complete, so a
    /// download cut short never leaves a file that looks whole. A version's files never change,
    /// so a complete file already in the cache is kept.
    /// </summary>
    private async Task<string> FetchAsync(string artifactUri, MLflowArtifactFile file, string directory, CancellationToken cancellationToken)
    {
        var target = Path.Combine(directory, Path.GetFileName(file.Path));
        if (file.FileSize is { } expected && File.Exists(target) && new FileInfo(target).Length == expected)
        {
            return target;
        }

        var partial = target + ".partial-" + Guid.NewGuid().ToString("N");
        try
        {
            long received;
            await using (var stream = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                received = await artifacts.DownloadAsync(artifactUri, file.Path, stream, cancellationToken);
            }

            if (file.FileSize is { } size && received != size)
            {
                throw new InvalidDataException($"{file.Path} came with {received} bytes, but the registry lists {size}");
            }

            File.Move(partial, target, overwrite: true);
            return target;
        }
        finally
        {
            File.Delete(partial);
        }
    }

    private static string SafeName(string name)
    {
        var safe = UnsafeFileNameCharacters().Replace(name, "_");
        return safe.Trim('.').Length == 0 ? "_" + safe : safe;
    }

    private static string Reason(Exception exception) => exception switch
    {
        MLflowResourceNotFoundException notFound => $"the registry has no such model ({notFound.Message})",
        MLflowException mlflow => $"{mlflow.ErrorCode}: {mlflow.Message}",
        HttpRequestException http => $"the MLflow server could not be reached ({http.HttpRequestError})",
        IOException io => $"the download failed ({io.Message})",
        Polly.Timeout.TimeoutRejectedException => "the MLflow server did not answer within MLFLOW_HTTP_REQUEST_TIMEOUT",
        _ => exception.Message,
    };

    [GeneratedRegex("^[0-9]+$")]
    private static partial Regex Digits();

    [GeneratedRegex(@"[^A-Za-z0-9_.\-]")]
    private static partial Regex UnsafeFileNameCharacters();
}
