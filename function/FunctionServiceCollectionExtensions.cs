using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ImageClassifier;

/// <summary>Registers the handler and its own options.</summary>
public static class FunctionServiceCollectionExtensions
{
    public static IServiceCollection AddFunction(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FunctionOptions>().Bind(configuration).ValidateOnStart<FunctionOptions, FunctionOptionsValidator>();
        services.AddSingleton<Func>();
        services.TryAddSingleton(TimeProvider.System);
        // Until a feature that records predictions (MLflow) registers its own.
        services.TryAddSingleton<IPredictionTracker>(DisabledPredictionTracker.Instance);
        return services;
    }
}
