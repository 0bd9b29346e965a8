namespace ImageClassifier.Http;

/// <summary>Registers the edge: request reading, reply writing, problem details.</summary>
public static class HttpEdgeServiceCollectionExtensions
{
    public static IServiceCollection AddHttpEdge(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddProblemDetails();
        return services;
    }
}
