using Microsoft.Extensions.Options;

namespace ImageClassifier.Ui;

/// <summary>The try page: a page on GET / where a person can send the function an image and see its answer.</summary>
public static class TryPageExtensions
{
    public static IServiceCollection AddTryPage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<UiOptions>(configuration);
        services.AddSingleton<TryPageAssets>();
        return services;
    }

    /// <summary>
    /// Adds the page to the pipeline when UI_ENABLED is true, on GET requests only: any other
    /// method, POST / above all, passes by on one comparison of the method and never enters it.
    /// </summary>
    public static IApplicationBuilder UseTryPage(this IApplicationBuilder app)
    {
        if (app.ApplicationServices.GetRequiredService<IOptions<UiOptions>>().Value.Enabled)
        {
            app.UseWhen(
                static context => HttpMethods.IsGet(context.Request.Method),
                static branch => branch.UseMiddleware<TryPageMiddleware>());
        }

        return app;
    }
}
