using ImageClassifier.Observability;
using ImageClassifier.Tests.Harness;
using Microsoft.Extensions.Logging;

namespace ImageClassifier.Tests.Observability;

/// <summary>The start-up line: every stage with its span since launch, in the order they began.</summary>
public sealed class StartupTimelineTests
{
    [Fact]
    public void The_line_lists_the_stages_in_the_order_they_began_with_their_spans_since_launch()
    {
        var timeline = StartupTimeline.StartAtMain();
        var besideStart = timeline.Now;
        timeline.Step(StartupStage.HostBuilder);
        timeline.Step(StartupStage.Registration);
        timeline.Record(StartupStage.ModelLoad, besideStart);
        using var logs = new CapturedLogs();

        timeline.Report(logs.CreateLogger("start-up"));

        var line = Assert.Single(logs.Entries).Message;
        var order = new[] { "Runtime ", "HostBuilder ", "ModelLoad ", "Registration " }.Select(stage => line.IndexOf(stage, StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, order);
        Assert.Equal(order.Order(), order);
        Assert.Matches(@"^Ready \d+(\.\d)? ms after launch \(JIT, server GC (True|False), spin limit \w+\): Runtime ", line);
        Assert.Matches(@"HostBuilder \d+\.\d ms \(\d+-\d+\)", line);
    }

    [Fact]
    public void Launch_is_read_from_the_kernel_so_the_runtime_stage_is_not_empty()
    {
        var timeline = StartupTimeline.StartAtMain();
        using var logs = new CapturedLogs();

        timeline.Report(logs.CreateLogger("start-up"));

        // This test process was launched long before the timeline started: were /proc not read,
        // launch would be taken as now and the stage would be 0.0 ms.
        var runtime = System.Text.RegularExpressions.Regex.Match(Assert.Single(logs.Entries).Message, @"Runtime (\d+\.\d) ms \(0-");
        Assert.True(runtime.Success);
        Assert.NotEqual("0.0", runtime.Groups[1].Value);
    }
}
