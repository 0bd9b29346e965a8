using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ImageClassifier.Inference;
using ImageClassifier.MLflow.Client;
using Microsoft.Extensions.Options;

namespace ImageClassifier.MLflow.Registry;

/// <summary>
/// Fetches the model <c>MODEL_URI</c> names from the MLflow Model Registry into the cache
/// directory. At start-up it keeps trying until it has the files, with backoff, and says why in
/// the logs: the function stays not ready rather than serve any other model. For an alias, it
/// also answers which version the alias names now, and fetches a given version once, so that
/// <see cref="ModelRefresher"/> can follow the alias. The start-up load gives up after
/// MODEL_LOAD_TIMEOUT_SECONDS, retries included, and at once on an answer over its cap. A file is
/// downloaded up to the size the registry lists and no further (a model at most MODEL_MAX_BYTES
/// and the volume's free space, labels at most a mebibyte), streamed to disk within
/// MODEL_DOWNLOAD_TIMEOUT_SECONDS for all of a version's files, hashed as it comes; the cache is
/// keyed by the tracking server, the name and the version, keeps the version serving and the one
/// before it, and a cached file is used only while it still has the SHA-256 it was downloaded with.
/// </summary>
public sealed partial class RegisteredModelSource(
    MLflowRegistryClient registry,
    MLflowArtifactClient artifacts,
    IOptions<MLflowOptions> options,
    TimeProvider timeProvider,
    MLflowTrackingMetrics metrics,
    ILogger<RegisteredModelSource> logger) : IModelSource
{
    /// <summary>The file names, at the model's root, of labels a model may carry (one class a line).</summary>
    public static IReadOnlyList<string> LabelFileNames { get; } = ["labels.txt", "synset.txt"];

    /// <summary>Beside each cached file: the SHA-256 it had when it was downloaded.</summary>
    public const string HashFileSuffix = ".sha256";

    /// <summary>Protobuf's limit, and so ONNX Runtime's for one model file: a larger listing is refused unread.</summary>
    public const long MaxFileBytes = 2L * 1024 * 1024 * 1024;

    public static TimeSpan FirstRetryDelay { get; } = TimeSpan.FromSeconds(1);

    public static TimeSpan MaxRetryDelay { get; } = TimeSpan.FromSeconds(60);

    /// <summary>The model asked for, or null when <c>MODEL_URI</c> is unset.</summary>
    public RegisteredModelUri? Requested =>
        RegisteredModelUri.TryParse(options.Value.ModelUri, out var uri) ? uri : null;

    public string Setting => "MODEL_URI";

    public bool IsRequested => Requested is not null;

    /// <summary>An alias can be moved to another version; a version number cannot change.</summary>
    public bool CanMove => Requested?.Alias is not null;

    /// <summary>
    /// The cache's folder for this tracking server: a different registry never gets another's
    /// files for the same name and version. A hash of the server's URL, without user or password.
    /// </summary>
    public string RegistryCacheKey => options.Value.TrackingServer is { } server
        ? Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            server.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped).TrimEnd('/'))))[..16]
        : throw new InvalidOperationException("MLFLOW_TRACKING_URI is not set.");

    public async Task<SourcedModel> FetchAsync(CancellationToken cancellationToken) => Sourced(await DownloadAsync(cancellationToken));

    public async Task<string> GetCurrentVersionAsync(CancellationToken cancellationToken)
    {
        var model = RequireRequested();
        try
        {
            return CheckedNumber(await registry.GetModelVersionAsync(model, cancellationToken));
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            var outcome = exception is HttpRequestException or Polly.Timeout.TimeoutRejectedException or MLflowException { IsTransient: true }
                ? ModelMetrics.Outcomes.RegistryUnreachable
                : ModelMetrics.Outcomes.RegistryRefused;
            throw new ModelUnavailableException(outcome, $"{model}: {Reason(exception)}", exception);
        }
    }

    public async Task<SourcedModel> FetchVersionAsync(string version, CancellationToken cancellationToken)
    {
        var model = RequireRequested();
        try
        {
            var found = await registry.GetModelVersionAsync(model.Name, version, cancellationToken);
            return Sourced(await DownloadVersionAsync(model, found, cancellationToken));
        }
        catch (Exception exception) when (exception is not ModelUnavailableException && !cancellationToken.IsCancellationRequested)
        {
            throw new ModelUnavailableException(ModelMetrics.Outcomes.DownloadFailed, $"version {version} of {model.Name}: {Reason(exception)}", exception);
        }
    }

    /// <summary>
    /// Downloads the requested model, retrying until it succeeds, the host stops, or
    /// MODEL_LOAD_TIMEOUT_SECONDS have passed since the first call. A refusal of this client's own
    /// limits (an answer over its cap, a host no one named, a model too large, an MLmodel it will not read) is not retried:
    /// asking again would only get the same answer.
    /// </summary>
    /// <exception cref="TimeoutException">The deadline passed.</exception>
    public async Task<RegisteredModelFiles> DownloadAsync(CancellationToken cancellationToken)
    {
        var model = RequireRequested();
        var limit = options.Value.ModelLoadTimeout;
        using var deadline = new CancellationTokenSource(limit, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var delay = FirstRetryDelay;
        Exception? last = null;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var version = await registry.GetModelVersionAsync(model, linked.Token);
                return await DownloadVersionAsync(model, version, linked.Token);
            }
            catch (Exception exception) when (exception is MLflowResponseTooLargeException or MLflowTransportRefusedException or ModelTooLargeException or MLmodelRefusedException)
            {
                throw new InvalidOperationException($"{model} is refused: {Reason(exception)}", exception);
            }
            catch (Exception exception) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                metrics.Refused(MLflowTrackingMetrics.RefusalReasons.LoadTimeout);
                throw new TimeoutException(
                    $"{model} could not be loaded within MODEL_LOAD_TIMEOUT_SECONDS ({limit.TotalSeconds:0} s, {attempt} attempts); the last failure: {Reason(last ?? exception)}",
                    last ?? exception);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                last = exception;
                logger.LogWarning("Model {ModelUri} is not loaded yet (attempt {Attempt}): {Reason}. Retrying in {Delay}; the function is not ready meanwhile",
                    model, attempt, Reason(exception), delay);
                logger.LogDebug(exception, "Model registry failure");
                try
                {
                    await Task.Delay(delay, timeProvider, linked.Token);
                }
                catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    metrics.Refused(MLflowTrackingMetrics.RefusalReasons.LoadTimeout);
                    throw new TimeoutException(
                        $"{model} could not be loaded within MODEL_LOAD_TIMEOUT_SECONDS ({limit.TotalSeconds:0} s, {attempt} attempts); the last failure: {Reason(exception)}",
                        exception);
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }
    }

    /// <summary>Deletes the cached versions of the requested model but <paramref name="versions"/>.</summary>
    public void KeepOnly(IReadOnlyCollection<string> versions)
    {
        if (Requested is not { } model)
        {
            return;
        }

        var directory = new DirectoryInfo(Path.Combine(options.Value.ModelCacheDirectory, RegistryCacheKey, SafeName(model.Name)));
        if (!directory.Exists)
        {
            return;
        }

        foreach (var cached in directory.EnumerateDirectories().Where(cached => !versions.Contains(cached.Name)))
        {
            try
            {
                cached.Delete(recursive: true);
                logger.LogInformation("Removed version {Version} of {Model} from the model cache", cached.Name, model.Name);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning(exception, "Version {Version} of {Model} could not be removed from the model cache", cached.Name, model.Name);
            }
        }
    }

    private RegisteredModelUri RequireRequested() => Requested ?? throw new InvalidOperationException("MODEL_URI is not set.");

    private static SourcedModel Sourced(RegisteredModelFiles files) =>
        new(files.Name, files.Version.Version, files.ModelPath, files.LabelsPath, files.Sha256, files.Companions);

    private static string CheckedNumber(MLflowModelVersion version) =>
        Digits().IsMatch(version.Version) ? version.Version : throw new InvalidDataException($"the registry named version '{version.Version}', not a number");

    private async Task<RegisteredModelFiles> DownloadVersionAsync(RegisteredModelUri model, MLflowModelVersion version, CancellationToken cancellationToken)
    {
        if (version.Status is { } status && status != "READY")
        {
            throw new InvalidOperationException($"version {version.Version} of {model.Name} is {status}, not READY");
        }

        CheckedNumber(version);
        var timeout = options.Value.ModelDownloadTimeout;
        using var deadline = new CancellationTokenSource(timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            var artifactUri = await registry.GetDownloadUriAsync(model.Name, version.Version, linked.Token);
            var files = await artifacts.ListAsync(artifactUri, string.Empty, linked.Token);
            var onnx = files.Where(file => !file.IsDir && file.Path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase)).ToList();
            var modelFile = onnx.FirstOrDefault(file => file.Path == "model.onnx") ?? (onnx.Count == 1 ? onnx[0] : null)
                ?? throw new InvalidDataException($"{artifactUri} holds {onnx.Count} .onnx files; one (or model.onnx) is needed");
            var labelsFile = LabelFileNames.Select(name => files.FirstOrDefault(file => !file.IsDir && file.Path == name)).FirstOrDefault(file => file is not null);

            var directory = Path.Combine(options.Value.ModelCacheDirectory, RegistryCacheKey, SafeName(model.Name), version.Version);
            Directory.CreateDirectory(directory);
            var (modelPath, sha256) = await FetchFileAsync(artifactUri, modelFile, directory, options.Value.ModelMaxBytes, "MODEL_MAX_BYTES", linked.Token);
            var labelsPath = labelsFile is null
                ? null
                : (await FetchFileAsync(artifactUri, labelsFile, directory, ModelBundleResolver.MaxLabelsBytes, "the labels' limit", linked.Token)).Path;

            var companions = await ReadCompanionsAsync(artifactUri, files, linked.Token);

            logger.LogInformation("Model {ModelUri} version {Version} (run {RunId}): {File} is at {Path}, sha256 {Sha256}, labels {Labels}",
                model, version.Version, version.RunId, modelFile.Path, modelPath, sha256, labelsPath ?? "the default ones");
            return new RegisteredModelFiles(model.Name, modelPath, labelsPath, sha256, version, companions);
        }
        catch (OperationCanceledException exception) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"the download of version {version.Version} did not finish within MODEL_DOWNLOAD_TIMEOUT_SECONDS ({timeout.TotalSeconds:0} s)", exception);
        }
    }

    /// <summary>
    /// The small files at the model's root that describe it: the MLmodel's <c>metadata</c>, a Hugging
    /// Face export's preprocessor_config.json and config.json. Each is read whole within its bound
    /// (and MLFLOW_MAX_RESPONSE_BYTES), before it is parsed; an absent one is skipped.
    /// </summary>
    private async Task<ModelCompanions> ReadCompanionsAsync(string artifactUri, IReadOnlyList<MLflowArtifactFile> files, CancellationToken cancellationToken)
    {
        async Task<string?> ReadAsync(string name, int maxBytes)
        {
            if (!files.Any(file => !file.IsDir && file.Path == name))
            {
                return null;
            }

            var bytes = await artifacts.ReadSmallAsync(artifactUri, name, Math.Min(maxBytes, options.Value.MaxResponseBytes), cancellationToken);
            return Encoding.UTF8.GetString(bytes);
        }

        var mlmodel = await ReadAsync(MLmodelFile.FileName, MLmodelFile.MaxBytes);
        var (preprocessing, labels) = mlmodel is null ? (null, null) : MLmodelFile.Read(mlmodel);
        return new ModelCompanions
        {
            RegistrySource = MLmodelFile.Source,
            RegistryPreprocessing = preprocessing,
            RegistryLabels = labels,
            PreprocessorConfig = await ReadAsync(ModelCompanions.PreprocessorConfigFile, ModelCompanions.MaxPreprocessorConfigBytes),
            Config = await ReadAsync(ModelCompanions.ConfigFile, ModelCompanions.MaxConfigBytes),
        };
    }

    /// <summary>
    /// Downloads one file, up to the size the registry lists, under a temporary name, and renames
    /// it only once it is complete, so a download cut short never leaves a file that looks whole.
    /// A version's files never change, so a complete file already in the cache is kept, while it
    /// still has the SHA-256 recorded beside it when it was downloaded.
    /// </summary>
    private async Task<(string Path, string Sha256)> FetchFileAsync(
        string artifactUri, MLflowArtifactFile file, string directory, long maxBytes, string limit, CancellationToken cancellationToken)
    {
        var size = file.FileSize
            ?? throw new InvalidDataException($"the registry lists no size for {file.Path}; a model's files are downloaded up to their listed size only");
        if (size > Math.Min(maxBytes, MaxFileBytes))
        {
            metrics.Refused(MLflowTrackingMetrics.RefusalReasons.ModelTooLarge);
            throw new ModelTooLargeException($"the registry lists {file.Path} with {size} bytes, more than the {Math.Min(maxBytes, MaxFileBytes)} of {limit}");
        }

        var target = Path.Combine(directory, Path.GetFileName(file.Path));
        var hashFile = target + HashFileSuffix;
        if (File.Exists(target) && File.Exists(hashFile) && new FileInfo(target).Length == size)
        {
            var recorded = (await File.ReadAllTextAsync(hashFile, cancellationToken)).Trim();
            var actual = await HashAsync(target, cancellationToken);
            if (actual == recorded)
            {
                return (target, actual);
            }

            File.Delete(target);
            File.Delete(hashFile);
            throw new ModelUnavailableException(ModelMetrics.Outcomes.HashMismatch,
                $"the cached {file.Path} has SHA-256 {actual}, not the {recorded} it was downloaded with; it is removed, and downloaded again at the next attempt");
        }

        // Checked before the download starts: a full /tmp would otherwise be found only once it is full.
        var free = new DriveInfo(Path.GetFullPath(directory)).AvailableFreeSpace;
        if (size > free)
        {
            metrics.Refused(MLflowTrackingMetrics.RefusalReasons.ModelTooLarge);
            throw new ModelTooLargeException($"{file.Path} has {size} bytes, but the volume of MODEL_CACHE_DIR has {free} free");
        }

        var partial = target + ".partial-" + Guid.NewGuid().ToString("N");
        try
        {
            (long Bytes, string Sha256) received;
            await using (var stream = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                received = await artifacts.DownloadAsync(artifactUri, file.Path, stream, size, cancellationToken);
            }

            if (received.Bytes != size)
            {
                throw new InvalidDataException($"{file.Path} came with {received.Bytes} bytes, but the registry lists {size}");
            }

            await File.WriteAllTextAsync(partial + HashFileSuffix, received.Sha256, cancellationToken);
            File.Move(partial + HashFileSuffix, hashFile, overwrite: true);
            File.Move(partial, target, overwrite: true);
            return (target, received.Sha256);
        }
        finally
        {
            File.Delete(partial);
            File.Delete(partial + HashFileSuffix);
        }
    }

    private static async Task<string> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
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
        MLflowTransportRefusedException refused => refused.Message,
        IOException io => $"the download failed ({io.Message})",
        Polly.Timeout.TimeoutRejectedException => "the MLflow server did not answer within MLFLOW_HTTP_REQUEST_TIMEOUT",
        _ => exception.Message,
    };

    /// <summary>A model file larger than MODEL_MAX_BYTES (or labels than their limit), or than the cache volume's free space.</summary>
    private sealed class ModelTooLargeException(string message) : Exception(message);

    [GeneratedRegex("^[0-9]+$")]
    private static partial Regex Digits();

    [GeneratedRegex(@"[^A-Za-z0-9_.\-]")]
    private static partial Regex UnsafeFileNameCharacters();
}
