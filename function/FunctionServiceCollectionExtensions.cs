namespace ImageClassifier;

/// <summary>Registers the handler and its own options.</summary>
public static class FunctionServiceCollectionExtensions
{
    public static IServiceCollection AddFunction(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<FunctionOptions>(configuration);
        services.AddSingleton<Func>();
        services.AddSingleton(TimeProvider.System);
        return services;
    }
}
