using Microsoft.Extensions.Options;

namespace ImageClassifier.Http;

/// <summary>Registers the edge: request reading, reply writing, problem details.</summary>
public static class HttpEdgeServiceCollectionExtensions
{
    public static IServiceCollection AddHttpEdge(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<EdgeOptions>(configuration);

        // The reply's source must be a URI-reference; it is checked here, where it is used, so a
        // bad CE_SOURCE stops the process instead of failing every reply.
        services.AddOptions<FunctionOptions>()
            .Validate(
                options => Uri.IsWellFormedUriString(options.CeSource, UriKind.RelativeOrAbsolute),
                "CE_SOURCE must be a URI-reference, such as io.kserve.inference.image-classifier or https://example.com/classifier.")
            .ValidateOnStart();

        services.AddValidatedOptions<DedupeOptions>(configuration);
        services.AddValidatedOptions<BatchOptions>(configuration);

        // For answers the endpoint does not write itself (404, 405), through UseStatusCodePages.
        services.AddProblemDetails();

        services.AddSingleton<CloudEventHttpBinding>();
        services.AddSingleton<RequestReader>();
        services.AddSingleton<ReplyBuilder>();
        services.AddSingleton<DuplicateCache>();
        services.AddSingleton<RequestProcessor>();
        services.AddSingleton<BatchEndpoint>();
        services.AddSingleton<FunctionEndpoint>();
        return services;
    }
}
