using System.ComponentModel.DataAnnotations;
using ImageClassifier.Settings;
using Microsoft.Extensions.Options;

namespace ImageClassifier.MLflow.Client;

/// <summary>
/// Where MLflow is and what the function does with it, under MLflow's own environment variable
/// names (those the Python client reads), so one secret serves notebooks and the function alike.
/// </summary>
public sealed class MLflowOptions : IValidatableObject
{
    public const string DefaultExperimentName = "image_classification_experiment";

    public const int DefaultLogImageMaxBytes = 5 * 1024 * 1024;

    public const int DefaultQueueCapacity = 1000;

    /// <summary>
    /// Images waiting in the queue: 32 MiB, a small share of a 512 MiB pod, so that the queue
    /// never holds more than six images at MLFLOW_LOG_IMAGE_MAX_BYTES.
    /// </summary>
    public const long DefaultQueueMaxBytes = 32L * 1024 * 1024;

    /// <summary>Five minutes for all of a model version's files: a 100 MB model at under 3 Mbit/s.</summary>
    public const int DefaultModelDownloadTimeoutSeconds = 300;

    /// <summary>The Python client's defaults: a 120 s attempt, 7 retries, backoff from 2 s.</summary>
    public const int DefaultHttpRequestTimeoutSeconds = 120;

    public const int DefaultHttpRequestMaxRetries = 7;

    public const double DefaultHttpRequestBackoffFactorSeconds = 2;

    /// <summary>An MLflow API answer (JSON) is read up to a mebibyte: an artifact listing of thousands of files fits.</summary>
    public const int DefaultMaxResponseBytes = 1024 * 1024;

    /// <summary>
    /// 64 MiB: the pod's /tmp volume (256Mi) holds the two versions the cache keeps, a third being
    /// downloaded, and the optimised copy of one, with room to spare.
    /// </summary>
    public const long DefaultModelMaxBytes = 64L * 1024 * 1024;

    /// <summary>A minute for a registry load, every retry included, whatever the per-request timeouts.</summary>
    public const int DefaultModelLoadTimeoutSeconds = 60;

    /// <summary>Under /tmp, the one writable place of a read-only container.</summary>
    public static string DefaultModelCacheDirectory { get; } = Path.Combine(Path.GetTempPath(), "image-classifier", "models");

    /// <summary>The tracking server; tracking and the registry are off while it is unset.</summary>
    [ConfigurationKeyName("MLFLOW_TRACKING_URI")]
    public string? TrackingUri { get; set; }

    [ConfigurationKeyName("MLFLOW_TRACKING_USERNAME")]
    public string? Username { get; set; }

    [ConfigurationKeyName("MLFLOW_TRACKING_PASSWORD")]
    public string? Password { get; set; }

    [ConfigurationKeyName("MLFLOW_TRACKING_TOKEN")]
    public string? Token { get; set; }

    [ConfigurationKeyName("MLFLOW_EXPERIMENT_NAME")]
    [Required(ErrorMessage = "MLFLOW_EXPERIMENT_NAME must not be empty.")]
    [StringLength(500, ErrorMessage = "MLFLOW_EXPERIMENT_NAME must be at most 500 characters.")]
    public string ExperimentName { get; set; } = DefaultExperimentName;

    /// <summary>Whether each classified image is stored as an artifact of its run.</summary>
    [ConfigurationKeyName("MLFLOW_LOG_IMAGES")]
    public bool LogImages { get; set; }

    /// <summary>Larger images are not stored (the run is still logged, with a tag saying why).</summary>
    [ConfigurationKeyName("MLFLOW_LOG_IMAGE_MAX_BYTES")]
    [SettingRange(1, 100 * 1024 * 1024, ErrorMessage = "MLFLOW_LOG_IMAGE_MAX_BYTES must be between 1 and 104857600.")]
    public int LogImageMaxBytes { get; set; } = DefaultLogImageMaxBytes;

    /// <summary>Predictions waiting to be logged; more are dropped (and counted), never waited for.</summary>
    [ConfigurationKeyName("MLFLOW_QUEUE_CAPACITY")]
    [SettingRange(1, 100_000, ErrorMessage = "MLFLOW_QUEUE_CAPACITY must be between 1 and 100000.")]
    public int QueueCapacity { get; set; } = DefaultQueueCapacity;

    /// <summary>
    /// Bytes of images the queue may hold: an image beyond them is not stored (its run is still
    /// logged, with a tag saying why), so the queue's memory is bounded whatever the images weigh.
    /// </summary>
    [ConfigurationKeyName("MLFLOW_QUEUE_MAX_BYTES")]
    [SettingRange(0, 1L << 32, ErrorMessage = "MLFLOW_QUEUE_MAX_BYTES must be between 0 (no images queued) and 4294967296.")]
    public long QueueMaxBytes { get; set; } = DefaultQueueMaxBytes;

    /// <summary>
    /// Plain http to a tracking server that is not on loopback: off, since credentials, predictions
    /// and model files would cross the network readable and alterable. For in-cluster use only.
    /// </summary>
    [ConfigurationKeyName("MLFLOW_ALLOW_HTTP")]
    public bool AllowHttp { get; set; }

    /// <summary>The longest a registered model version's files may take to download, all of them.</summary>
    [ConfigurationKeyName("MODEL_DOWNLOAD_TIMEOUT_SECONDS")]
    [SettingRange(1, 86400, ErrorMessage = "MODEL_DOWNLOAD_TIMEOUT_SECONDS must be between 1 and 86400.")]
    public int ModelDownloadTimeoutSeconds { get; set; } = DefaultModelDownloadTimeoutSeconds;

    public TimeSpan ModelDownloadTimeout => TimeSpan.FromSeconds(ModelDownloadTimeoutSeconds);

    /// <summary>Seconds one HTTP attempt may take (the Python client's default is 120).</summary>
    [ConfigurationKeyName("MLFLOW_HTTP_REQUEST_TIMEOUT")]
    [SettingRange(1, 3600, ErrorMessage = "MLFLOW_HTTP_REQUEST_TIMEOUT must be between 1 and 3600 seconds.")]
    public int HttpRequestTimeoutSeconds { get; set; } = DefaultHttpRequestTimeoutSeconds;

    /// <summary>Retries of a transient failure (connection, 429, 5xx); the Python client's default is 7.</summary>
    [ConfigurationKeyName("MLFLOW_HTTP_REQUEST_MAX_RETRIES")]
    [SettingRange(0, 20, ErrorMessage = "MLFLOW_HTTP_REQUEST_MAX_RETRIES must be between 0 and 20.")]
    public int HttpRequestMaxRetries { get; set; } = DefaultHttpRequestMaxRetries;

    /// <summary>Seconds before the first retry, doubled at each one, as the Python client does.</summary>
    [ConfigurationKeyName("MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR")]
    [SettingRange(0, 120, ErrorMessage = "MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR must be between 0 and 120 seconds.")]
    public double HttpRequestBackoffFactorSeconds { get; set; } = DefaultHttpRequestBackoffFactorSeconds;

    /// <summary>The most bytes of one MLflow API answer read; a longer one is a failure, never retried.</summary>
    [ConfigurationKeyName("MLFLOW_MAX_RESPONSE_BYTES")]
    [SettingRange(1024, 64 * 1024 * 1024, ErrorMessage = "MLFLOW_MAX_RESPONSE_BYTES must be between 1024 and 67108864.")]
    public int MaxResponseBytes { get; set; } = DefaultMaxResponseBytes;

    /// <summary>
    /// Origins (<c>scheme://host[:port]</c>, comma-separated) besides the tracking server's that
    /// artifact URLs and their redirects may name; any other host is refused.
    /// </summary>
    [ConfigurationKeyName("MLFLOW_ARTIFACT_HOSTS")]
    public string? ArtifactHosts { get; set; }

    /// <summary>The largest model file downloaded; the volume must also have room for it before the download starts.</summary>
    [ConfigurationKeyName("MODEL_MAX_BYTES")]
    [SettingRange(1, 2L * 1024 * 1024 * 1024, ErrorMessage = "MODEL_MAX_BYTES must be between 1 and 2147483648.")]
    public long ModelMaxBytes { get; set; } = DefaultModelMaxBytes;

    /// <summary>The longest a registry load may take at start-up, every call and retry included; then the load fails.</summary>
    [ConfigurationKeyName("MODEL_LOAD_TIMEOUT_SECONDS")]
    [SettingRange(1, 86400, ErrorMessage = "MODEL_LOAD_TIMEOUT_SECONDS must be between 1 and 86400.")]
    public int ModelLoadTimeoutSeconds { get; set; } = DefaultModelLoadTimeoutSeconds;

    public TimeSpan ModelLoadTimeout => TimeSpan.FromSeconds(ModelLoadTimeoutSeconds);

    /// <summary>The origins artifacts may come from: the tracking server's, and MLFLOW_ARTIFACT_HOSTS's; only meaningful once validated.</summary>
    public IReadOnlyList<Uri> ArtifactOrigins() =>
        [.. (TrackingServer is { } server ? [server] : Array.Empty<Uri>()), .. TryParseOrigins(ArtifactHosts, out var origins) ? origins : []];

    /// <summary>Whether <paramref name="url"/> is on an origin the operator named: the tracking server's, or one of MLFLOW_ARTIFACT_HOSTS.</summary>
    public bool IsArtifactOrigin(Uri url) => ArtifactOrigins().Any(origin => SameOrigin(url, origin));

    /// <summary>Same scheme, host and port.</summary>
    public static bool SameOrigin(Uri url, Uri? origin) =>
        origin is not null
        && url.Scheme == origin.Scheme
        && string.Equals(url.IdnHost, origin.IdnHost, StringComparison.OrdinalIgnoreCase)
        && url.Port == origin.Port;

    /// <summary>A registered model to serve: <c>models:/name/version</c> or <c>models:/name@alias</c>.</summary>
    [ConfigurationKeyName("MODEL_URI")]
    public string? ModelUri { get; set; }

    /// <summary>Where registered models are downloaded before they are loaded.</summary>
    [ConfigurationKeyName("MODEL_CACHE_DIR")]
    [Required(ErrorMessage = "MODEL_CACHE_DIR must not be empty.")]
    public string ModelCacheDirectory { get; set; } = DefaultModelCacheDirectory;

    /// <summary>True when <c>MLFLOW_TRACKING_URI</c> is set (an empty value counts as unset).</summary>
    public bool TrackingEnabled => !string.IsNullOrWhiteSpace(TrackingUri);

    /// <summary>
    /// The tracking server's URL, once validated, without any user and password written into it
    /// (those are not sent: credentials come from MLFLOW_TRACKING_USERNAME and _PASSWORD or _TOKEN),
    /// so that it can be logged; null while tracking is off.
    /// </summary>
    public Uri? TrackingServer => TrackingEnabled && Uri.TryCreate(TrackingUri, UriKind.Absolute, out var uri)
        ? new Uri(uri.GetComponents(UriComponents.AbsoluteUri & ~UriComponents.UserInfo, UriFormat.UriEscaped))
        : null;

    /// <summary>True when MLFLOW_TRACKING_URI carries a user or password, which are never used.</summary>
    public bool TrackingUriHasUserInfo => TrackingEnabled && Uri.TryCreate(TrackingUri, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0;

    /// <summary>Whether MLflow may be spoken to at <paramref name="url"/>: https, or http on loopback or with MLFLOW_ALLOW_HTTP.</summary>
    public bool AllowsTransport(Uri url) =>
        url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && (url.IsLoopback || AllowHttp));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (TrackingEnabled && TrackingServer is not { Scheme: "http" or "https" })
        {
            yield return new ValidationResult("MLFLOW_TRACKING_URI must be an absolute http or https URL of an MLflow tracking server.",
                [nameof(TrackingUri)]);
        }
        else if (TrackingServer is { } server && !AllowsTransport(server))
        {
            yield return new ValidationResult(
                "MLFLOW_TRACKING_URI must be https: plain http is only for loopback, or with MLFLOW_ALLOW_HTTP=true for a server inside the cluster.",
                [nameof(TrackingUri), nameof(AllowHttp)]);
        }

        if (string.IsNullOrEmpty(Username) != string.IsNullOrEmpty(Password))
        {
            yield return new ValidationResult("MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD must be set together.",
                [nameof(Username), nameof(Password)]);
        }

        if (!TryParseOrigins(ArtifactHosts, out _))
        {
            yield return new ValidationResult(
                "MLFLOW_ARTIFACT_HOSTS must be a comma-separated list of http or https origins (scheme://host[:port], no path), e.g. https://minio.mlflow.svc:9000.",
                [nameof(ArtifactHosts)]);
        }

        if (string.IsNullOrWhiteSpace(ModelUri))
        {
            yield break;
        }

        if (!RegisteredModelUri.TryParse(ModelUri, out _))
        {
            yield return new ValidationResult("MODEL_URI must be models:/<name>/<version> or models:/<name>@<alias>.", [nameof(ModelUri)]);
        }

        if (!TrackingEnabled)
        {
            yield return new ValidationResult("MODEL_URI needs MLFLOW_TRACKING_URI: the registry is on the tracking server.", [nameof(ModelUri)]);
        }
    }

    private static bool TryParseOrigins(string? text, out List<Uri> origins)
    {
        origins = [];
        foreach (var entry in (text ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!Uri.TryCreate(entry, UriKind.Absolute, out var origin) || origin.Scheme is not ("http" or "https")
                || origin.UserInfo.Length > 0 || origin.AbsolutePath != "/" || origin.Query.Length > 0 || origin.Fragment.Length > 0)
            {
                return false;
            }

            origins.Add(origin);
        }

        return true;
    }
}

/// <summary>Checks <see cref="MLflowOptions"/>: generated at compile time from its annotations, so the native publish needs no reflection.</summary>
[OptionsValidator]
internal sealed partial class MLflowOptionsValidator : IValidateOptions<MLflowOptions>;
