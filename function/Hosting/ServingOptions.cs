using ImageClassifier.Settings;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Hosting;

/// <summary>Where requests are served: the port Knative and the buildpack's Procfile give in <c>$PORT</c>.</summary>
public sealed class ServingOptions
{
    /// <summary>Knative's default <c>containerPort</c>, and the buildpack's.</summary>
    public const int DefaultPort = 8080;

    /// <summary>The listening port, on all interfaces; nothing else (not <c>ASPNETCORE_URLS</c>) decides it.</summary>
    [ConfigurationKeyName("PORT")]
    [SettingRange(1, 65535, ErrorMessage = "PORT must be between 1 and 65535.")]
    public int Port { get; set; } = DefaultPort;
}

/// <summary>Checks <see cref="ServingOptions"/>: generated at compile time from its annotations, so the native publish needs no reflection.</summary>
[OptionsValidator]
internal sealed partial class ServingOptionsValidator : IValidateOptions<ServingOptions>;
