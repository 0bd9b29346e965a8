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

// Composition only: each feature registers its own options, services and metrics (ARCHITECTURE.md).
var builder = WebApplication.CreateSlimBuilder(args);

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

var app = builder.Build();
app.UseTryPage();
app.UseFunctionHosting();
app.MapFunction();
app.MapInferenceProtocol();
app.MapMetrics();
app.Run();

/// <summary>The entry point, visible to the in-process test host.</summary>
public partial class Program;
