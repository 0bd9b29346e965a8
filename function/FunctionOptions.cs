using System.ComponentModel.DataAnnotations;
using ImageClassifier.Settings;
using Microsoft.Extensions.Options;

namespace ImageClassifier;

/// <summary>Settings of the function itself: the reply event's attributes and the default top-k.</summary>
public sealed class FunctionOptions : IValidatableObject
{
    /// <summary>KServe's default reply type for CloudEvents (its <c>CE_TYPE</c>), never a request type.</summary>
    public const string DefaultReplyType = "io.kserve.inference.response";

    /// <summary>KServe's default reply source is <c>io.kserve.inference.{model}</c>; ours names the function.</summary>
    public const string DefaultReplySource = "io.kserve.inference.image-classifier";

    public const int DefaultTopK = 5;

    [ConfigurationKeyName("TOP_K")]
    [SettingRange(1, 1000, ErrorMessage = "TOP_K must be between 1 and 1000.")]
    public int TopK { get; set; } = DefaultTopK;

    [ConfigurationKeyName("CE_SOURCE")]
    [Required(ErrorMessage = "CE_SOURCE must not be empty.")]
    public string CeSource { get; set; } = DefaultReplySource;

    [ConfigurationKeyName("CE_TYPE")]
    [Required(ErrorMessage = "CE_TYPE must not be empty.")]
    [RegularExpression(@"^[a-z0-9]+(\.[a-z0-9-]+)+$", ErrorMessage = "CE_TYPE must be a reverse-DNS name such as io.kserve.inference.response.")]
    public string CeType { get; set; } = DefaultReplyType;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // A reply's source must be a URI-reference: a bad one stops the process instead of failing every reply.
        if (!string.IsNullOrEmpty(CeSource) && !Uri.IsWellFormedUriString(CeSource, UriKind.RelativeOrAbsolute))
        {
            yield return new ValidationResult(
                "CE_SOURCE must be a URI-reference, such as io.kserve.inference.image-classifier or https://example.com/classifier.",
                [nameof(CeSource)]);
        }
    }
}

/// <summary>Checks <see cref="FunctionOptions"/>: generated at compile time from its annotations, so the native publish needs no reflection.</summary>
[OptionsValidator]
internal sealed partial class FunctionOptionsValidator : IValidateOptions<FunctionOptions>;
