namespace ImageClassifier.Tests.Harness;

/// <summary>An xunit fixture: one in-process function, ready, shared by a test class.</summary>
public class ReadyFunction(IReadOnlyDictionary<string, string?>? settings = null) : IAsyncLifetime
{
    private readonly FunctionApp _app = new(settings);

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync() => Client = await _app.CreateReadyClientAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();
}
