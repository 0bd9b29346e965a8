namespace ImageClassifier.Tests.Harness;

/// <summary>
/// A test class over the function with fakes behind the edge: xunit makes an instance per test,
/// so each test gets its own app, ready before it runs, and its own fakes to arrange.
/// </summary>
public abstract class FakedFunctionTest(IReadOnlyDictionary<string, string?>? settings = null) : IAsyncLifetime
{
    /// <summary>An image URL the fake fetcher answers like any other.</summary>
    protected const string CatUrl = "https://example.com/cat.jpg";

    protected FakedFunctionApp Function { get; } = new(settings);

    protected HttpClient Client => Function.Client;

    public Task InitializeAsync() => Function.InitializeAsync();

    public async Task DisposeAsync() => await Function.DisposeAsync();
}
