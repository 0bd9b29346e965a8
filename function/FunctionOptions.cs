using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace ImageClassifier;

/// <summary>Settings of the function itself: the reply event's attributes and the default top-k.</summary>
public sealed class FunctionOptions
{
    /// <summary>KServe's default reply type for CloudEvents (its <c>CE_TYPE</c>), never a request type.</summary>
    public const string DefaultReplyType = "io.kserve.inference.response";

    /// <summary>KServe's default reply source is <c>io.kserve.inference.{model}</c>; ours names the function.</summary>
    public const string DefaultReplySource = "io.kserve.inference.image-classifier";

    [ConfigurationKeyName("TOP_K")]
    [Range(1, 1000, ErrorMessage = "TOP_K must be between 1 and 1000.")]
    public int TopK { get; set; } = 5;

    [ConfigurationKeyName("CE_SOURCE")]
    [Required(ErrorMessage = "CE_SOURCE must not be empty.")]
    public string CeSource { get; set; } = DefaultReplySource;

    [ConfigurationKeyName("CE_TYPE")]
    [Required(ErrorMessage = "CE_TYPE must not be empty.")]
    [RegularExpression(@"^[a-z0-9]+(\.[a-z0-9-]+)+$", ErrorMessage = "CE_TYPE must be a reverse-DNS name such as io.kserve.inference.response.")]
    public string CeType { get; set; } = DefaultReplyType;
}
