using Microsoft.Extensions.Options;

// In the namespace of the registration APIs it extends, as ASP.NET Core's own extensions are,
// so every feature's registration finds it without depending on another feature's namespace.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>How every settings class is registered: bound from the environment's names, checked at start-up.</summary>
public static class OptionsRegistration
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> from the root configuration (its properties carry the
    /// environment variables' names) and validates it when the host starts, so a bad value stops
    /// the process with a message that names the variable, instead of failing a request later.
    /// Rules between fields are the class's own (<see cref="System.ComponentModel.DataAnnotations.IValidatableObject"/>).
    /// </summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(this IServiceCollection services, IConfiguration configuration)
        where TOptions : class =>
        services.AddOptions<TOptions>()
            .Bind(configuration)
            .ValidateDataAnnotations()
            .ValidateOnStart();
}
