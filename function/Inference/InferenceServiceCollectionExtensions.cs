using ImageClassifier.Scheduling;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ImageClassifier.Inference;

/// <summary>Registers the model bundle, the shared session, the classifier, its loader and the refresher that follows a registry alias.</summary>
public static class InferenceServiceCollectionExtensions
{
    public static IServiceCollection AddInference(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<InferenceOptions>().Bind(configuration).ValidateOnStart<InferenceOptions, InferenceOptionsValidator>();
        services.AddMetrics();
        services.AddCpuWork(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ModelMetrics>();
        services.AddSingleton<ModelBundleResolver>();
        services.AddSingleton<OnnxClassifier>();
        services.AddSingleton<IClassifier>(provider => provider.GetRequiredService<OnnxClassifier>());
        services.AddSingleton<ModelOutputCheck>();
        services.AddSingleton<ModelLoader>();
        services.AddHostedService(provider => provider.GetRequiredService<ModelLoader>());
        services.AddHostedService<ModelRefresher>();
        return services;
    }
}
