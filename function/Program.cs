using ImageClassifier;
using ImageClassifier.Delivery;
using ImageClassifier.Edge;
using ImageClassifier.Fetching;
using ImageClassifier.Hosting;
using ImageClassifier.Imaging;
using ImageClassifier.Inference;
using ImageClassifier.InferenceProtocol;
using ImageClassifier.Memory;
using ImageClassifier.MLflow;
using ImageClassifier.Observability;
using ImageClassifier.Ui;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

// Composition only: each feature registers its own options, services and metrics (ARCHITECTURE.md).
var timeline = StartupTimeline.StartAtMain();
var builder = WebApplication.CreateSlimBuilder(args);
timeline.Step(StartupStage.HostBuilder);

builder.Services.AddSingleton(timeline);
builder.AddFunctionHosting();
builder.AddObservability();
builder.Services.AddEdge(builder.Configuration);
builder.Services.AddDelivery(builder.Configuration);
builder.Services.AddInferenceProtocol();
builder.Services.AddFunction(builder.Configuration);
builder.Services.AddImageFetching(builder.Configuration);
builder.Services.AddMemoryBudget(builder.Configuration);
builder.Services.AddImaging(builder.Configuration);
builder.Services.AddInference(builder.Configuration);
builder.Services.AddMLflow(builder.Configuration);
builder.Services.AddTryPage(builder.Configuration);
timeline.Step(StartupStage.Registration);

var app = builder.Build();
timeline.Step(StartupStage.HostBuild);
app.MapMetrics(); // first: with METRICS_PORT, that port's branch comes before every other middleware
app.UseTryPage();
app.UseFunctionHosting();
app.MapFunction();
app.MapInferenceProtocol();
timeline.Step(StartupStage.Endpoints);

// Resolved here rather than by the host's start only so the timeline can tell these stages apart:
// they are the same singletons the host would build.
app.Services.GetService<TracerProvider>();
app.Services.GetService<MeterProvider>();
timeline.Step(StartupStage.OpenTelemetry);
app.Services.GetServices<IHostedService>();
timeline.Step(StartupStage.DependencyInjection);
app.Lifetime.ApplicationStarted.Register(() => timeline.Step(StartupStage.KestrelBind));

app.Run();

/// <summary>The entry point, visible to the in-process test host.</summary>
public partial class Program;
