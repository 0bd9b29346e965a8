using ImageClassifier.Scheduling;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ImageClassifier.Imaging;

/// <summary>Registers preprocessing: the image loader (decoding with limits), the tensor writer, and the service over both.</summary>
public static class ImagingServiceCollectionExtensions
{
    public static IServiceCollection AddImaging(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ImagingOptions>().Bind(configuration).ValidateOnStart<ImagingOptions, ImagingOptionsValidator>();
        services.AddCpuWork(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IImageLoader, SkiaImageLoader>();
        services.AddSingleton<ITensorWriter, TensorWriter>();
        services.AddSingleton<ImagePreprocessor>();
        return services;
    }
}
