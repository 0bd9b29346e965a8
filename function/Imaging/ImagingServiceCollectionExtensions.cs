using ImageClassifier.Scheduling;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Imaging;

/// <summary>Registers preprocessing: the image loader (decoding with limits), the tensor writer, and the service over both.</summary>
public static class ImagingServiceCollectionExtensions
{
    public static IServiceCollection AddImaging(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddImageLimits(configuration);
        services.AddCpuWork(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IImageLoader, SkiaImageLoader>();
        services.AddSingleton<ITensorWriter, TensorWriter>();
        services.AddSingleton<ImagePreprocessor>();
        return services;
    }

    /// <summary>
    /// The image's limits (<see cref="ImagingOptions"/>), once, for each feature that takes an image
    /// in: the fetcher, the edge and the inference protocol cap its bytes at FETCH_MAX_BYTES from here.
    /// </summary>
    public static IServiceCollection AddImageLimits(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(service => service.ServiceType == typeof(IValidateOptions<ImagingOptions>)))
        {
            return services;
        }

        services.AddOptions<ImagingOptions>().Bind(configuration).ValidateOnStart<ImagingOptions, ImagingOptionsValidator>();
        return services;
    }
}
