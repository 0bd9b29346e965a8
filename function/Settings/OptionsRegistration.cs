using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

// In the namespace of the registration APIs it extends, as ASP.NET Core's own extensions are,
// so every feature's registration finds it without depending on another feature's namespace.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>How every settings class is registered: bound from the environment's names, checked at start-up.</summary>
public static class OptionsRegistration
{
    /// <summary>
    /// Validates <typeparamref name="TOptions"/> with <typeparamref name="TValidator"/> when the host
    /// starts, so a bad value stops the process with a message that names the variable, instead of
    /// failing a request later. The validator is an <c>[OptionsValidator]</c>, generated from the
    /// class's data annotations and its own cross-field rules
    /// (<see cref="System.ComponentModel.DataAnnotations.IValidatableObject"/>); the caller binds
    /// first, <c>.Bind(configuration)</c> on the concrete type, which the configuration binding
    /// generator compiles. Neither needs reflection, so both hold in the native (AOT) publish.
    /// </summary>
    public static OptionsBuilder<TOptions> ValidateOnStart<
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions,
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TValidator>(this OptionsBuilder<TOptions> options)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        options.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        return options.ValidateOnStart();
    }
}
