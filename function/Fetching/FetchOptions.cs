using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using ImageClassifier.Settings;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Fetching;

/// <summary>
/// How images are fetched: time budget, retries and which places may be reached. The size cap is
/// the image's own (<see cref="Imaging.ImagingOptions.MaxImageBytes"/>, FETCH_MAX_BYTES), however it comes.
/// </summary>
internal sealed class FetchOptions : IValidatableObject
{
    public const int DefaultTimeoutSeconds = 15;

    /// <summary>The attempt timeout when FETCH_ATTEMPT_TIMEOUT_SECONDS is not set (never above the total).</summary>
    public const int DefaultAttemptTimeoutSeconds = 10;

    public const int DefaultMaxRetries = 2;

    public const int DefaultRetryDelayMs = 200;

    /// <summary>The web's own ports: an image URL naming another is more likely an internal service than a picture.</summary>
    public const string DefaultAllowedPorts = "80,443";

    [ConfigurationKeyName("FETCH_TIMEOUT_SECONDS")]
    [SettingRange(1, 300, ErrorMessage = "FETCH_TIMEOUT_SECONDS must be between 1 and 300.")]
    public int TimeoutSeconds { get; set; } = DefaultTimeoutSeconds;

    [ConfigurationKeyName("FETCH_ATTEMPT_TIMEOUT_SECONDS")]
    [SettingRange(1, 300, ErrorMessage = "FETCH_ATTEMPT_TIMEOUT_SECONDS must be between 1 and 300.")]
    public int? AttemptTimeoutSeconds { get; set; }

    [ConfigurationKeyName("FETCH_MAX_RETRIES")]
    [SettingRange(0, 10, ErrorMessage = "FETCH_MAX_RETRIES must be between 0 and 10.")]
    public int MaxRetries { get; set; } = DefaultMaxRetries;

    [ConfigurationKeyName("FETCH_RETRY_DELAY_MS")]
    [SettingRange(0, 60_000, ErrorMessage = "FETCH_RETRY_DELAY_MS must be between 0 and 60000.")]
    public int RetryDelayMs { get; set; } = DefaultRetryDelayMs;

    [ConfigurationKeyName("FETCH_ALLOW_PRIVATE_NETWORKS")]
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Comma-separated ports image URLs may name; empty means any port.</summary>
    [ConfigurationKeyName("FETCH_ALLOWED_PORTS")]
    public string? AllowedPorts { get; set; } = DefaultAllowedPorts;

    /// <summary>Comma-separated CIDR ranges never fetched from, whatever else allows them: the operator's own (a VPC, a peered network).</summary>
    [ConfigurationKeyName("FETCH_DENIED_CIDRS")]
    public string? DeniedCidrs { get; set; }

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);

    public TimeSpan AttemptTimeout =>
        TimeSpan.FromSeconds(AttemptTimeoutSeconds ?? Math.Min(DefaultAttemptTimeoutSeconds, TimeoutSeconds));

    public TimeSpan RetryDelay => TimeSpan.FromMilliseconds(RetryDelayMs);

    /// <summary>The parsed FETCH_ALLOWED_PORTS; only meaningful once the options are validated.</summary>
    public IReadOnlySet<int> AllowedPortSet => TryParsePorts(AllowedPorts, out var ports) ? ports : new HashSet<int>();

    /// <summary>The parsed FETCH_DENIED_CIDRS; only meaningful once the options are validated.</summary>
    public IReadOnlyList<IPNetwork> DeniedNetworks() => TryParseNetworks(DeniedCidrs, out var networks) ? networks : [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (AttemptTimeoutSeconds > TimeoutSeconds)
        {
            yield return new ValidationResult(
                "FETCH_ATTEMPT_TIMEOUT_SECONDS must not be greater than FETCH_TIMEOUT_SECONDS.",
                [nameof(AttemptTimeoutSeconds)]);
        }

        if (!TryParsePorts(AllowedPorts, out _))
        {
            yield return new ValidationResult(
                "FETCH_ALLOWED_PORTS must be a comma-separated list of ports between 1 and 65535, e.g. 80,443.",
                [nameof(AllowedPorts)]);
        }

        if (!TryParseNetworks(DeniedCidrs, out _))
        {
            yield return new ValidationResult(
                "FETCH_DENIED_CIDRS must be a comma-separated list of CIDR ranges, e.g. 10.20.0.0/16,fd12:3456::/48.",
                [nameof(DeniedCidrs)]);
        }
    }

    private static bool TryParseNetworks(string? text, out List<IPNetwork> networks)
    {
        networks = [];
        foreach (var entry in (text ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!IPNetwork.TryParse(entry, out var network))
            {
                return false;
            }

            networks.Add(network);
        }

        return true;
    }

    private static bool TryParsePorts(string? text, out HashSet<int> ports)
    {
        ports = [];
        foreach (var entry in (text ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(entry, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            {
                return false;
            }

            ports.Add(port);
        }

        return true;
    }
}

/// <summary>Checks <see cref="FetchOptions"/>: generated at compile time from its annotations, so the native publish needs no reflection.</summary>
[OptionsValidator]
internal sealed partial class FetchOptionsValidator : IValidateOptions<FetchOptions>;
