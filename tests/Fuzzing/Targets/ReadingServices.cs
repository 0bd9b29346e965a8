using ImageClassifier.Delivery;
using ImageClassifier.Edge;
using ImageClassifier.Fetching;
using ImageClassifier.Memory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ImageClassifier.Fuzzing;

/// <summary>
/// The edge's reading services (request reader, body reader, limits, URL policy, memory budget)
/// as the function registers them: for the fuzzing target, and for the tests' edge harness, into
/// which this file is compiled too.
/// </summary>
internal static class ReadingServices
{
    public static ServiceProvider Build(IConfiguration configuration, TimeProvider timeProvider) =>
        new ServiceCollection()
            .AddLogging()
            .AddSingleton(timeProvider)
            .AddFunction(configuration)
            .AddEdge(configuration)
            .AddDelivery(configuration)
            .AddImageFetching(configuration)
            .AddMemoryBudget(configuration)
            .BuildServiceProvider();
}
