namespace ImageClassifier.Scheduling;

/// <summary>Registers the CPU work threads with their settings, once, for each feature that runs work on them.</summary>
public static class SchedulingServiceCollectionExtensions
{
    public static IServiceCollection AddCpuWork(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(service => service.ServiceType == typeof(CpuWorkers)))
        {
            return services;
        }

        services.AddOptions<CpuWorkOptions>().Bind(configuration).ValidateOnStart<CpuWorkOptions, CpuWorkOptionsValidator>();
        services.AddSingleton<CpuWorkers>();
        return services;
    }
}
