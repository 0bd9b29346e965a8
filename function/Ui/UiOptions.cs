namespace ImageClassifier.Ui;

/// <summary>Whether GET / offers a browser the try page.</summary>
public sealed class UiOptions
{
    public const bool DefaultEnabled = true;

    /// <summary>When false, no page middleware is added at all and GET / answers as an API-only function does.</summary>
    [ConfigurationKeyName("UI_ENABLED")]
    public bool Enabled { get; set; } = DefaultEnabled;
}
