namespace ImageClassifier.Delivery;

/// <summary>Registers the request lifecycle and what it delivers with: duplicates, batches, reply events, metrics and the request log.</summary>
public static class DeliveryServiceCollectionExtensions
{
    public static IServiceCollection AddDelivery(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DedupeOptions>().Bind(configuration).ValidateOnStart<DedupeOptions, DedupeOptionsValidator>();
        services.AddOptions<BatchOptions>().Bind(configuration).ValidateOnStart<BatchOptions, BatchOptionsValidator>();
        services.AddMetrics();
        services.AddSingleton<RequestMetrics>();
        services.AddSingleton<RequestLog>();
        services.AddSingleton<RequestLifecycle>();
        services.AddSingleton<ReplyBuilder>();
        services.AddSingleton<DuplicateCache>();
        services.AddSingleton<ClassificationDelivery>();
        services.AddSingleton<BatchDelivery>();
        return services;
    }
}
