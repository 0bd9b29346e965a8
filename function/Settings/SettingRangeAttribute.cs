using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace ImageClassifier.Settings;

/// <summary>
/// <see cref="RangeAttribute"/> for numeric settings, whose <c>ErrorMessage</c> names the
/// environment variable. The options validation generator replaces <c>[Range]</c> with a copy
/// that drops <c>ErrorMessage</c> (dotnet/runtime#123137), so the message would name the property
/// instead; an attribute of our own is used as it is.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SettingRangeAttribute(double minimum, double maximum) : ValidationAttribute
{
    public double Minimum { get; } = minimum;

    public double Maximum { get; } = maximum;

    /// <summary>An unset optional setting is valid: its default applies.</summary>
    public override bool IsValid(object? value) =>
        value is null || (Convert.ToDouble(value, CultureInfo.InvariantCulture) is var number && number >= Minimum && number <= Maximum);
}
