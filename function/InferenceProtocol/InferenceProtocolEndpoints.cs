namespace ImageClassifier.InferenceProtocol;

/// <summary>
/// Maps the Open Inference Protocol (KServe v2 REST) beside the function, so KServe and Triton
/// clients can use the same deployment.
/// </summary>
public static class InferenceProtocolEndpoints
{
    public static IServiceCollection AddInferenceProtocol(this IServiceCollection services)
    {
        services.AddSingleton<InferInputDecoder>();
        services.AddSingleton<InferenceProtocolHandler>();
        return services;
    }

    public static WebApplication MapInferenceProtocol(this WebApplication app)
    {
        var handler = app.Services.GetRequiredService<InferenceProtocolHandler>();
        var v2 = app.MapGroup("/v2");
        v2.MapGet("", InferenceProtocolHandler.Server);
        v2.MapGet("/health/live", InferenceProtocolHandler.Live);
        v2.MapGet("/health/ready", (CancellationToken cancellationToken) => handler.ReadyAsync(cancellationToken));

        v2.MapGet("/models/{name}", (HttpResponse response, string name) => handler.Metadata(response, name, version: null));
        v2.MapGet("/models/{name}/ready", (HttpResponse response, string name) => handler.ModelReady(response, name, version: null));
        v2.MapPost("/models/{name}/infer", (HttpContext context, string name) => handler.InferAsync(context, name, version: null));

        v2.MapGet("/models/{name}/versions/{version}", (HttpResponse response, string name, string version) => handler.Metadata(response, name, version));
        v2.MapGet("/models/{name}/versions/{version}/ready", (HttpResponse response, string name, string version) => handler.ModelReady(response, name, version));
        v2.MapPost("/models/{name}/versions/{version}/infer", (HttpContext context, string name, string version) => handler.InferAsync(context, name, version));
        return app;
    }
}
