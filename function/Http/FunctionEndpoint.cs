namespace ImageClassifier.Http;

/// <summary>POST /: read the request in whatever form it came, run the function, answer in kind.</summary>
public static class FunctionEndpoint
{
    public static Task HandleAsync(HttpContext context, Func func) =>
        throw new ClassificationException(FailureKind.Unavailable, "not-built", "The edge is not built yet.");
}
