using Microsoft.Extensions.DependencyInjection;

namespace ImageClassifier.Tests.Harness;

/// <summary>
/// One in-process function, ready: an xunit fixture shared by a test class, or started by a test
/// for itself with <see cref="StartAsync"/>.
/// </summary>
public class ReadyFunction(IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    : IAsyncLifetime, IAsyncDisposable
{
    public FunctionApp App { get; } = new(settings, services);

    public HttpClient Client { get; private set; } = null!;

    public IServiceProvider Services => App.Services;

    public CapturedLogs Logs => App.Logs;

    public static async Task<ReadyFunction> StartAsync(
        IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var function = new ReadyFunction(settings, services);
        await function.InitializeAsync();
        return function;
    }

    public async Task InitializeAsync() => Client = await App.CreateReadyClientAsync();

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        await App.DisposeAsync();
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
