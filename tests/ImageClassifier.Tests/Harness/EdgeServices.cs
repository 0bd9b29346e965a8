using ImageClassifier.Edge;
using ImageClassifier.Fuzzing;
using ImageClassifier.Memory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ImageClassifier.Tests.Harness;

/// <summary>
/// The edge's reading services (request reader, body reader, limits) as the function registers
/// them, with the given settings over the tests' memory budget (<see cref="TestMemoryBudget"/>).
/// </summary>
public static class EdgeServices
{
    public static ServiceProvider Build(IReadOnlyDictionary<string, string?>? settings = null, TimeProvider? timeProvider = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([TestMemoryBudget.Setting])
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
        return ReadingServices.Build(configuration, timeProvider ?? TimeProvider.System);
    }

    internal static RequestReader Reader(this ServiceProvider services) => services.GetRequiredService<RequestReader>();

    internal static BodyReader Bodies(this ServiceProvider services) => services.GetRequiredService<BodyReader>();

    public static MemoryBudget Budget(this ServiceProvider services) => services.GetRequiredService<MemoryBudget>();
}
