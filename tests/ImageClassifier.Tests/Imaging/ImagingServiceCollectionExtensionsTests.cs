using ImageClassifier.Imaging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Tests.Imaging;

public class ImagingServiceCollectionExtensionsTests
{
    [Fact]
    public void The_loader_and_writer_are_shared_singletons()
    {
        using var provider = Build([]);

        Assert.IsType<SkiaImageLoader>(provider.GetRequiredService<IImageLoader>());
        Assert.Same(provider.GetRequiredService<IImageLoader>(), provider.GetRequiredService<IImageLoader>());
        Assert.IsType<TensorWriter>(provider.GetRequiredService<ITensorWriter>());
        Assert.Same(provider.GetRequiredService<ITensorWriter>(), provider.GetRequiredService<ITensorWriter>());
    }

    [Fact]
    public void Max_image_pixels_defaults_to_40_million()
    {
        using var provider = Build([]);

        Assert.Equal(40_000_000, provider.GetRequiredService<IOptions<ImagingOptions>>().Value.MaxImagePixels);
    }

    [Fact]
    public void Max_image_pixels_is_read_from_its_environment_variable()
    {
        using var provider = Build(new() { ["MAX_IMAGE_PIXELS"] = "1234" });

        Assert.Equal(1234, provider.GetRequiredService<IOptions<ImagingOptions>>().Value.MaxImagePixels);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    public void A_max_image_pixels_below_1_is_refused_naming_the_variable(string value)
    {
        using var provider = Build(new() { ["MAX_IMAGE_PIXELS"] = value });

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ImagingOptions>>().Value);

        Assert.Contains("MAX_IMAGE_PIXELS", failure.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddImaging(configuration).BuildServiceProvider();
    }
}
