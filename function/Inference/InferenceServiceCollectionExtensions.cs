using ImageClassifier.Http;

namespace ImageClassifier.Inference;

/// <summary>Registers the model bundle, the shared session and the classifier.</summary>
public static class InferenceServiceCollectionExtensions
{
    public static IServiceCollection AddInference(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<InferenceOptions>(configuration);
        services.AddSingleton<ModelBundleResolver>();
        services.AddSingleton<OnnxClassifier>();
        services.AddSingleton<IClassifier>(provider => provider.GetRequiredService<OnnxClassifier>());
        services.AddSingleton<ModelLoader>();
        services.AddHostedService(provider => provider.GetRequiredService<ModelLoader>());
        services.AddHealthChecks().AddCheck<ModelReadyHealthCheck>("model", tags: [FunctionHosting.ReadyTag]);
        return services;
    }
}
