using ImageClassifier.Imaging;

namespace ImageClassifier.Edge;

/// <summary>Registers the edge (reading requests, the CloudEvents binding, writing replies and problems) and maps POST /.</summary>
public static class EdgeServiceCollectionExtensions
{
    public static IServiceCollection AddEdge(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EdgeOptions>().Bind(configuration).ValidateOnStart<EdgeOptions, EdgeOptionsValidator>();
        services.AddImageLimits(configuration);

        // For answers no endpoint writes itself (404, 405), through UseStatusCodePages.
        services.AddProblemDetails();

        services.AddSingleton<BodyLimits>();
        services.AddSingleton<BodyReader>();
        services.AddMetrics();
        services.AddSingleton<JsonScanMetrics>();
        services.AddSingleton<JsonShapeScan>();
        services.AddSingleton<AttributeLimits>();
        services.AddSingleton<CloudEventHttpBinding>();
        services.AddSingleton<RequestReader>();
        services.AddSingleton<FunctionEndpoint>();
        return services;
    }

    /// <summary>The function's own entry point: POST / in every request form.</summary>
    public static WebApplication MapFunction(this WebApplication app)
    {
        app.MapPost("/", context => context.RequestServices.GetRequiredService<FunctionEndpoint>().HandleAsync(context));
        return app;
    }
}
