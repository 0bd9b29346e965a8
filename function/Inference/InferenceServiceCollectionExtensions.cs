namespace ImageClassifier.Inference;

/// <summary>Registers the model bundle, the shared session, the classifier and its loader.</summary>
public static class InferenceServiceCollectionExtensions
{
    public static IServiceCollection AddInference(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<InferenceOptions>().Bind(configuration).ValidateOnStart<InferenceOptions, InferenceOptionsValidator>();
        services.AddMetrics();
        services.AddSingleton<ModelMetrics>();
        services.AddSingleton<ModelBundleResolver>();
        services.AddSingleton<OnnxClassifier>();
        services.AddSingleton<IClassifier>(provider => provider.GetRequiredService<OnnxClassifier>());
        services.AddSingleton<ModelLoader>();
        services.AddHostedService(provider => provider.GetRequiredService<ModelLoader>());
        return services;
    }
}
