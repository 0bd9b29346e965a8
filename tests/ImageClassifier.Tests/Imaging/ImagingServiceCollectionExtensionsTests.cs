using ImageClassifier.Edge;
using ImageClassifier.Fetching;
using ImageClassifier.Imaging;
using ImageClassifier.Memory;
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
    [InlineData("MAX_IMAGE_PIXELS", "0")]
    [InlineData("MAX_IMAGE_PIXELS", "-5")]
    [InlineData("FETCH_MAX_BYTES", "0")]
    [InlineData("FETCH_MAX_BYTES", "1073741825")]
    public void A_limit_out_of_range_is_refused_naming_the_variable(string variable, string value)
    {
        using var provider = Build(new() { [variable] = value });

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ImagingOptions>>().Value);

        Assert.Contains($"{variable} must", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FETCH_MAX_BYTES_is_the_one_image_size_cap_that_the_fetcher_and_the_edge_read()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["FETCH_MAX_BYTES"] = "4321" }).Build();
        using var provider = new ServiceCollection().AddLogging().AddFunction(configuration).AddEdge(configuration).AddImageFetching(configuration)
            .AddMemoryBudget(configuration).AddImaging(configuration).BuildServiceProvider();

        Assert.Equal(4321, provider.GetRequiredService<IOptions<ImagingOptions>>().Value.MaxImageBytes);
        Assert.Equal(4321, provider.GetRequiredService<BodyLimits>().Image);
        Assert.Single(provider.GetServices<IValidateOptions<ImagingOptions>>());
        Assert.DoesNotContain(typeof(FetchOptions).GetProperties(), property => property.Name.Contains("Bytes", StringComparison.Ordinal));
    }

    [Fact]
    public void The_image_size_cap_defaults_to_20_MiB()
    {
        using var provider = Build([]);

        Assert.Equal(20 * 1024 * 1024, provider.GetRequiredService<IOptions<ImagingOptions>>().Value.MaxImageBytes);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddImaging(configuration).BuildServiceProvider();
    }
}
