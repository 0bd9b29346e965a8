using ImageClassifier.Edge;
using ImageClassifier.Fuzzing;
using ImageClassifier.Memory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ImageClassifier.Tests.Harness;

/// <summary>
/// The edge's reading services (request reader, body reader, limits) as the function registers
/// them, with the given settings over a 1 GiB memory budget (the test host's own resident set says
/// nothing of one function's).
/// </summary>
public static class EdgeServices
{
    public static ServiceProvider Build(IReadOnlyDictionary<string, string?>? settings = null, TimeProvider? timeProvider = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["MEMORY_BUDGET_BYTES"] = "1073741824" })
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
        return ReadingServices.Build(configuration, timeProvider ?? TimeProvider.System);
    }

    internal static RequestReader Reader(this ServiceProvider services) => services.GetRequiredService<RequestReader>();

    internal static BodyReader Bodies(this ServiceProvider services) => services.GetRequiredService<BodyReader>();

    public static MemoryBudget Budget(this ServiceProvider services) => services.GetRequiredService<MemoryBudget>();
}
