namespace ImageClassifier.Memory;

/// <summary>Registers the memory budget with its settings and metrics.</summary>
public static class MemoryServiceCollectionExtensions
{
    public static IServiceCollection AddMemoryBudget(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MemoryOptions>().Bind(configuration).ValidateOnStart<MemoryOptions, MemoryOptionsValidator>();
        services.AddMetrics();
        services.AddSingleton<MemoryMetrics>();
        services.AddSingleton<MemoryBudget>();
        return services;
    }
}
