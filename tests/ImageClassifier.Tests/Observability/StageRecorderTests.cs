using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using ImageClassifier.Observability;
using Microsoft.Extensions.DependencyInjection;

namespace ImageClassifier.Tests.Observability;

/// <summary>Stage timings belong to a request: work outside one (the start-up warm-up) is not timed.</summary>
public sealed class StageRecorderTests : IDisposable
{
    private readonly ServiceProvider services = new ServiceCollection()
        .AddMetrics()
        .AddSingleton(TimeProvider.System)
        .AddSingleton<FunctionTracing>()
        .AddSingleton<StageRecorder>()
        .BuildServiceProvider();

    private readonly MeterListener listener = new();
    private readonly ConcurrentQueue<string?> stagesTimed = new();

    public StageRecorderTests()
    {
        var factory = services.GetRequiredService<IMeterFactory>();
        listener.InstrumentPublished = (instrument, listening) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Name == "imageclassifier.stage.duration")
            {
                listening.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "stage")
                {
                    stagesTimed.Enqueue(tag.Value as string);
                }
            }
        });
        listener.Start();
    }

    private StageRecorder Recorder => services.GetRequiredService<StageRecorder>();

    [Fact]
    public async Task A_stage_of_a_request_is_timed()
    {
        await Task.Run(() =>
        {
            var timings = Recorder.Begin();
            using (Recorder.Start(Stage.Preprocess))
            {
            }

            Assert.NotNull(timings[Stage.Preprocess]);
        });

        Assert.Equal(["preprocess"], stagesTimed);
    }

    [Fact]
    public async Task A_stage_outside_any_request_is_not_timed()
    {
        await Task.Run(() =>
        {
            using (Recorder.Start(Stage.Preprocess))
            {
            }
        });

        Assert.Empty(stagesTimed);
    }

    public void Dispose()
    {
        listener.Dispose();
        services.Dispose();
    }
}
