namespace ImageClassifier.Imaging;

/// <summary>Registers the image loader (decoding with limits) and the tensor writer.</summary>
public static class ImagingServiceCollectionExtensions
{
    public static IServiceCollection AddImaging(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ImagingOptions>(configuration);
        // The concrete types too, for the start-up warm-up, which must use these whatever stands behind the interfaces.
        services.AddSingleton<ImageSharpLoader>();
        services.AddSingleton<IImageLoader>(provider => provider.GetRequiredService<ImageSharpLoader>());
        services.AddSingleton<TensorWriter>();
        services.AddSingleton<ITensorWriter>(provider => provider.GetRequiredService<TensorWriter>());
        return services;
    }
}
