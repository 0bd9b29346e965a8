using Microsoft.Extensions.Options;

namespace ImageClassifier;

/// <summary>How every settings class is registered: bound from the environment's names, checked at start-up.</summary>
public static class OptionsRegistration
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> from the root configuration (its properties carry the
    /// environment variables' names) and validates it when the host starts, so a bad value stops
    /// the process with a message that names the variable, instead of failing a request later.
    /// </summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(this IServiceCollection services, IConfiguration configuration)
        where TOptions : class =>
        services.AddOptions<TOptions>()
            .Bind(configuration)
            .ValidateDataAnnotations()
            .ValidateOnStart();
}
