namespace ImageClassifier.Imaging;

/// <summary>Registers the image loader (decoding with limits) and the tensor writer.</summary>
public static class ImagingServiceCollectionExtensions
{
    public static IServiceCollection AddImaging(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ImagingOptions>()
            .Bind(configuration)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IImageLoader, ImageSharpLoader>();
        services.AddSingleton<ITensorWriter, TensorWriter>();
        return services;
    }
}
