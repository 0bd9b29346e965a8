using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ImageClassifier.Tests.MLflow;

/// <summary>
/// A stand-in MLflow tracking server on 127.0.0.1 (no real one can be installed here), written
/// from MLflow's REST API 2.0 documentation and protos (service.proto, model_registry.proto,
/// mlflow_artifacts.proto) for every endpoint the function calls: their request validation,
/// their error JSON (<c>error_code</c>, <c>message</c>) and status codes, the basic-auth app's
/// 401, the artifact proxy, and moving an alias (set and delete, as a notebook does). It records
/// every call, and can be made slow, failing, cut short, stalled, oversized, endless or redirecting.
/// </summary>
public sealed partial class MLflowStandIn : IAsyncDisposable
{
    private const string Api = "/api/2.0/mlflow/";
    private const string ArtifactsApi = "/api/2.0/mlflow-artifacts/artifacts";
    private static readonly string[] RunStatuses = ["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"];

    private const string AnswerKey = "stand-in-answer";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedCall> _calls = new();
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Experiment> _experiments = new(StringComparer.Ordinal)
    {
        ["0"] = new Experiment("0", "Default", "mlflow-artifacts:/0"),
    };

    private readonly Dictionary<string, Run> _runs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RegisteredModel> _models = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte[]> _artifacts = new(StringComparer.Ordinal);
    private TaskCompletionSource _gate = CompletedGate();
    private int _nextExperimentId = 1;
    private int _stalled;
    private long _endlessBytes;

    private MLflowStandIn(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The Authorization header every call must carry (null: no auth, as a server without the basic-auth app).</summary>
    public string? RequiredAuthorization { get; set; }

    /// <summary>When set, every call is answered with this status and MLflow's INTERNAL_ERROR JSON.</summary>
    public HttpStatusCode? FailEverythingWith { get; set; }

    /// <summary>Artifact downloads of this file name send half the bytes they announce, then drop the connection.</summary>
    public string? CutShortDownloadsOf { get; set; }

    /// <summary>Artifact downloads of this file name send half their bytes, then nothing more until the caller gives up.</summary>
    public string? StallDownloadsOf { get; set; }

    /// <summary>How many downloads have sent half their bytes and stalled.</summary>
    public int Stalled => Volatile.Read(ref _stalled);

    /// <summary>Artifact downloads of this file name send the file, then a mebibyte more, with no length announced (the listing keeps the file's size).</summary>
    public string? OversizeDownloadsOf { get; set; }

    /// <summary>
    /// When set, every call is answered 200 with a JSON body that never ends (an object whose
    /// string value goes on until the caller hangs up), as a hostile or broken server could.
    /// </summary>
    public bool AnswerWithoutEnd { get; set; }

    /// <summary>Bytes sent so far in answers without end, all calls together.</summary>
    public long EndlessBytesSent => Interlocked.Read(ref _endlessBytes);

    /// <summary>Artifact listings name this many more files (<c>padding-N.bin</c>, 1 byte each) than are stored.</summary>
    public int PadListingsWith { get; set; }

    /// <summary>Artifact downloads of a file whose name ends so answer 302 to the same path under this base URL.</summary>
    public (string FileName, Uri Target)? RedirectDownloads { get; set; }

    public IReadOnlyList<RecordedCall> Calls => [.. _calls];

    /// <summary>Stored artifacts by path under the artifact root, e.g. <c>1/&lt;run&gt;/artifacts/images/cat.jpg</c>.</summary>
    public IReadOnlyDictionary<string, byte[]> Artifacts => _artifacts;

    public static async Task<MLflowStandIn> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var standIn = new MLflowStandIn(app);
        app.Run(standIn.HandleAsync);
        await app.StartAsync();
        standIn.BaseAddress = new Uri(app.Urls.Single());
        return standIn;
    }

    /// <summary>Makes calls wait (MLflow is slow) until <see cref="Release"/>.</summary>
    public void Hold() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _gate.TrySetResult();

    /// <summary>
    /// Registers a model version whose artifacts are <paramref name="files"/>, as mlflow.onnx.log_model
    /// would, and returns the URL of its artifacts through this server's proxy.
    /// </summary>
    public Uri RegisterModelVersion(string name, string version, IReadOnlyDictionary<string, byte[]> files, params string[] aliases)
    {
        var root = $"0/models/m-{Guid.NewGuid():N}/artifacts";
        foreach (var (path, bytes) in files)
        {
            _artifacts[root + "/" + path] = bytes;
        }

        RegisterModelVersionAt(name, version, "mlflow-artifacts:/" + root, aliases);
        return new Uri(BaseAddress, ArtifactsApi + "/" + root);
    }

    /// <summary>Stores a file at <paramref name="path"/> under the artifact root, as another server's copy of it.</summary>
    public void StoreArtifact(string path, byte[] bytes) => _artifacts[path] = bytes;

    /// <summary>Registers a model version whose source is <paramref name="source"/>, wherever that is.</summary>
    public void RegisterModelVersionAt(string name, string version, string source, params string[] aliases)
    {
        lock (_lock)
        {
            if (!_models.TryGetValue(name, out var model))
            {
                _models[name] = model = new RegisteredModel();
            }

            model.Versions[version] = new ModelVersion(name, version, source, Guid.NewGuid().ToString("N"));
            foreach (var alias in aliases)
            {
                model.Aliases[alias] = version;
            }
        }
    }

    /// <summary>
    /// Moves an alias as a data scientist's notebook does, with
    /// <c>MlflowClient().set_registered_model_alias(name, alias, version)</c>: a POST to this server.
    /// </summary>
    public async Task SetAliasAsync(string name, string alias, string version)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress };
        using var response = await client.PostAsJsonAsync(Api + "registered-models/alias", new { name, alias, version });
        Assert.True(response.IsSuccessStatusCode, $"set_registered_model_alias answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Deletes an alias as <c>MlflowClient().delete_registered_model_alias(name, alias)</c> does.</summary>
    public async Task DeleteAliasAsync(string name, string alias)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Delete, Api + "registered-models/alias") { Content = JsonContent.Create(new { name, alias }) };
        using var response = await client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"delete_registered_model_alias answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    public RunState RunById(string runId)
    {
        lock (_lock)
        {
            var run = _runs[runId];
            return new RunState(run.Info["status"]!.GetValue<string>(), new Dictionary<string, string>(run.Params),
                new Dictionary<string, string>(run.Tags), [.. run.Metrics]);
        }
    }

    /// <summary>Every run logged so far.</summary>
    public IReadOnlyList<RunState> Runs()
    {
        string[] ids;
        lock (_lock)
        {
            ids = [.. _runs.Keys];
        }

        return [.. ids.Select(RunById)];
    }

    public IReadOnlyList<RecordedCall> CallsTo(string path) => [.. Calls.Where(call => call.Path == path)];

    /// <summary>Waits until the calls received satisfy <paramref name="condition"/>.</summary>
    public async Task WaitForAsync(Func<IReadOnlyList<RecordedCall>, bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition(Calls))
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Release();
        await _app.DisposeAsync();
    }

    private static TaskCompletionSource CompletedGate()
    {
        var gate = new TaskCompletionSource();
        gate.SetResult();
        return gate;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        try
        {
            await _gate.Task.WaitAsync(context.RequestAborted);
            await RouteAsync(context, body);
        }
        finally
        {
            _calls.Enqueue(new RecordedCall(request.Method, request.Path.Value ?? "/", request.QueryString.Value ?? string.Empty,
                request.ContentType, request.Headers.Authorization.FirstOrDefault(), body, context.Response.StatusCode,
                context.Items.TryGetValue(AnswerKey, out var answer) ? (string?)answer : null));
        }
    }

    private async Task RouteAsync(HttpContext context, byte[] body)
    {
        var request = context.Request;
        if (RequiredAuthorization is { } required && request.Headers.Authorization.FirstOrDefault() != required)
        {
            // What MLflow's basic-auth app answers.
            context.Response.StatusCode = 401;
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"mlflow\"";
            await context.Response.WriteAsync(
                "You are not authenticated. Please see https://www.mlflow.org/docs/latest/auth/index.html#authenticating-to-mlflow on how to authenticate.");
            return;
        }

        if (AnswerWithoutEnd)
        {
            await AnswerWithoutEndAsync(context);
            return;
        }

        if (FailEverythingWith is { } status)
        {
            await WriteAsync(context, new MLflowError(status, "INTERNAL_ERROR", "The stand-in was told to fail."));
            return;
        }

        var path = request.Path.Value ?? "/";
        try
        {
            if (path.StartsWith(ArtifactsApi, StringComparison.Ordinal))
            {
                await ArtifactsAsync(context, path[ArtifactsApi.Length..].TrimStart('/'), body);
                return;
            }

            JsonNode response = (request.Method, path) switch
            {
                ("GET", Api + "experiments/get-by-name") => GetExperimentByName(Query(context, "experiment_name")),
                ("POST", Api + "experiments/create") => CreateExperiment(Body(context, body)),
                ("POST", Api + "runs/create") => CreateRun(Body(context, body)),
                ("POST", Api + "runs/log-batch") => LogBatch(Body(context, body)),
                ("POST", Api + "runs/update") => UpdateRun(Body(context, body)),
                ("GET", Api + "runs/get") => new JsonObject { ["run"] = RunJson(FindRun(Query(context, "run_id"))) },
                ("GET", Api + "model-versions/get") => new JsonObject
                {
                    ["model_version"] = FindVersion(Query(context, "name"), Query(context, "version")).ToJson(Aliases(Query(context, "name"))),
                },
                ("GET", Api + "registered-models/alias") => GetByAlias(Query(context, "name"), Query(context, "alias")),
                ("POST", Api + "registered-models/alias") => SetAlias(Body(context, body)),
                ("DELETE", Api + "registered-models/alias") => DeleteAlias(Body(context, body)),
                ("GET", Api + "model-versions/get-download-uri") => new JsonObject
                {
                    ["artifact_uri"] = FindVersion(Query(context, "name"), Query(context, "version")).Source,
                },
                _ => throw new MLflowError(HttpStatusCode.NotFound, "ENDPOINT_NOT_FOUND", $"No API endpoint {request.Method} {path}."),
            };
            context.Response.ContentType = "application/json";
            context.Items[AnswerKey] = response.ToJsonString();
            await context.Response.WriteAsync((string)context.Items[AnswerKey]!);
        }
        catch (MLflowError error)
        {
            await WriteAsync(context, error);
        }
    }

    private async Task AnswerWithoutEndAsync(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        var writer = context.Response.BodyWriter;
        await writer.WriteAsync("{\"model_version\":{\"name\":\""u8.ToArray(), context.RequestAborted);
        var chunk = Encoding.ASCII.GetBytes(new string('a', 64 * 1024));
        try
        {
            // Until the caller hangs up: the only way such an answer ends (a flush says when the connection is gone).
            FlushResult flushed;
            do
            {
                await writer.WriteAsync(chunk, context.RequestAborted);
                flushed = await writer.FlushAsync(context.RequestAborted);
                Interlocked.Add(ref _endlessBytes, chunk.Length);
            }
            while (!flushed.IsCompleted && !flushed.IsCanceled && !context.RequestAborted.IsCancellationRequested);
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException)
        {
            // The caller hung up.
        }
    }

    private static async Task WriteAsync(HttpContext context, MLflowError error)
    {
        context.Response.StatusCode = (int)error.Status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(new JsonObject { ["error_code"] = error.ErrorCode, ["message"] = error.Message }.ToJsonString());
    }

    private static string Query(HttpContext context, string name) =>
        context.Request.Query[name].FirstOrDefault() is { Length: > 0 } value ? value : throw Missing(name);

    private static JsonObject Body(HttpContext context, byte[] body)
    {
        if (context.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true)
        {
            throw Invalid("Bad Request. Content-Type must be one of ['application/json'].");
        }

        try
        {
            return JsonNode.Parse(body) as JsonObject ?? throw Invalid("The request body is not a JSON object.");
        }
        catch (JsonException)
        {
            throw Invalid("The request body is not valid JSON.");
        }
    }

    private JsonObject GetExperimentByName(string name)
    {
        lock (_lock)
        {
            var experiment = _experiments.Values.FirstOrDefault(e => e.Name == name)
                ?? throw NotFound($"Could not find experiment with name '{name}'");
            return new JsonObject { ["experiment"] = experiment.ToJson() };
        }
    }

    private JsonObject CreateExperiment(JsonObject body)
    {
        var name = RequiredString(body, "name");
        lock (_lock)
        {
            if (_experiments.Values.Any(e => e.Name == name))
            {
                throw new MLflowError(HttpStatusCode.BadRequest, "RESOURCE_ALREADY_EXISTS", $"Experiment '{name}' already exists.");
            }

            var id = (_nextExperimentId++).ToString(CultureInfo.InvariantCulture);
            _experiments[id] = new Experiment(id, name, $"mlflow-artifacts:/{id}");
            return new JsonObject { ["experiment_id"] = id };
        }
    }

    private JsonObject CreateRun(JsonObject body)
    {
        var experimentId = RequiredString(body, "experiment_id");
        var startTime = OptionalInt64(body, "start_time");
        var tags = KeyValues(body, "tags");
        var runName = OptionalString(body, "run_name");
        var userId = OptionalString(body, "user_id");
        if (runName is not null && tags.TryGetValue("mlflow.runName", out var tagged) && tagged != runName)
        {
            throw Invalid($"Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='{runName}', mlflow.runName='{tagged}').");
        }

        lock (_lock)
        {
            if (!_experiments.TryGetValue(experimentId, out var experiment))
            {
                throw NotFound($"No Experiment with id={experimentId} exists");
            }

            var runId = Guid.NewGuid().ToString("N");
            runName ??= tags.GetValueOrDefault("mlflow.runName") ?? "stand-in-run";
            tags["mlflow.runName"] = runName;
            var run = new Run(new JsonObject
            {
                ["run_id"] = runId,
                ["run_uuid"] = runId,
                ["run_name"] = runName,
                ["experiment_id"] = experiment.Id,
                ["user_id"] = userId ?? string.Empty,
                ["status"] = "RUNNING",
                ["start_time"] = startTime ?? 0,
                ["artifact_uri"] = $"{experiment.ArtifactLocation}/{runId}/artifacts",
                ["lifecycle_stage"] = "active",
            });
            foreach (var (key, value) in tags)
            {
                run.Tags[key] = value;
            }

            _runs[runId] = run;
            return new JsonObject { ["run"] = RunJson(run) };
        }
    }

    private JsonObject LogBatch(JsonObject body)
    {
        var runId = RequiredString(body, "run_id");
        var metrics = Array(body, "metrics");
        var parameters = KeyValues(body, "params");
        var tags = KeyValues(body, "tags");
        if (metrics.Count > 1000)
        {
            throw Invalid($"A batch logging request can contain at most 1000 metrics. Got {metrics.Count} metrics. Please split up metrics across multiple requests and try again.");
        }

        if (parameters.Count > 100 || tags.Count > 100)
        {
            throw Invalid($"A batch logging request can contain at most 100 params and 100 tags. Got {parameters.Count} params and {tags.Count} tags. Please split up across multiple requests and try again.");
        }

        if (metrics.Count + parameters.Count + tags.Count > 1000)
        {
            throw Invalid("A batch logging request can contain at most 1000 metrics, params, and tags in total. Please split up across multiple requests and try again.");
        }

        var parsed = metrics.Select(metric => metric as JsonObject ?? throw Invalid("Invalid value for parameter 'metrics' supplied."))
            .Select(metric => new LoggedMetric(RequiredString(metric, "key"), RequiredDouble(metric, "value"),
                OptionalInt64(metric, "timestamp") ?? throw Missing("timestamp"), OptionalInt64(metric, "step") ?? 0))
            .ToList();
        foreach (var (key, value) in parameters)
        {
            if (value.Length > 6000)
            {
                throw Invalid($"Param value '{value[..20]}...' had length {value.Length}, which exceeded length limit of 6000");
            }
        }

        lock (_lock)
        {
            var run = FindRun(runId);
            foreach (var (key, value) in parameters)
            {
                if (run.Params.TryGetValue(key, out var old) && old != value)
                {
                    throw Invalid($"Changing param values is not allowed. Param with key='{key}' was already logged with value='{old}' for run ID='{runId}'. Attempted logging new value '{value}'.");
                }

                run.Params[key] = value;
            }

            foreach (var (key, value) in tags)
            {
                run.Tags[key] = value;
            }

            run.Metrics.AddRange(parsed);
        }

        return [];
    }

    private JsonObject UpdateRun(JsonObject body)
    {
        var runId = OptionalString(body, "run_id") ?? OptionalString(body, "run_uuid") ?? throw Missing("run_id");
        var status = OptionalString(body, "status");
        if (status is not null && !RunStatuses.Contains(status))
        {
            throw Invalid($"Invalid value \"{status}\" for parameter 'status' supplied.");
        }

        var endTime = OptionalInt64(body, "end_time");
        lock (_lock)
        {
            var run = FindRun(runId);
            if (status is not null)
            {
                run.Info["status"] = status;
            }

            if (endTime is not null)
            {
                run.Info["end_time"] = endTime;
            }

            return new JsonObject { ["run_info"] = run.Info.DeepClone() };
        }
    }

    private JsonObject GetByAlias(string name, string alias)
    {
        lock (_lock)
        {
            var model = FindModel(name);
            if (!model.Aliases.TryGetValue(alias, out var version))
            {
                throw NotFound($"Registered model alias {alias} not found.");
            }

            return new JsonObject { ["model_version"] = model.Versions[version].ToJson(Aliases(name)) };
        }
    }

    // SetRegisteredModelAlias (model_registry.proto): name, alias and version required; the alias
    // validated as mlflow/utils/validation.py does; the version must exist; an alias that names
    // another version is moved.
    private JsonObject SetAlias(JsonObject body)
    {
        var name = RequiredString(body, "name");
        var alias = ValidAlias(RequiredString(body, "alias"));
        var version = RequiredString(body, "version");
        lock (_lock)
        {
            FindVersion(name, version);
            _models[name].Aliases[alias] = version;
        }

        return [];
    }

    // DeleteRegisteredModelAlias: the model must exist; deleting an alias it does not have is not an error.
    private JsonObject DeleteAlias(JsonObject body)
    {
        var name = RequiredString(body, "name");
        var alias = ValidAlias(RequiredString(body, "alias"));
        lock (_lock)
        {
            FindModel(name).Aliases.Remove(alias);
        }

        return [];
    }

    private static string ValidAlias(string alias)
    {
        if (!AliasName().IsMatch(alias))
        {
            throw Invalid($"Invalid alias name: '{alias}'. Names may only contain alphanumerics, underscores (_), and dashes (-).");
        }

        if (alias.Length > 255)
        {
            throw Invalid($"Registered model alias name '{alias[..20]}...' had length {alias.Length}, which exceeded length limit of 255");
        }

        if (string.Equals(alias, "latest", StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid("'latest' alias name (case insensitive) is reserved.");
        }

        return VersionAlias().IsMatch(alias) ? throw Invalid($"Version alias name '{alias}' is reserved.") : alias;
    }

    private async Task ArtifactsAsync(HttpContext context, string path, byte[] body)
    {
        var request = context.Request;
        if (path.Length == 0 && request.Method == "GET")
        {
            var directory = request.Query["path"].FirstOrDefault()?.Trim('/') ?? string.Empty;
            SafePath(directory);
            var prefix = directory.Length == 0 ? string.Empty : directory + "/";
            var entries = _artifacts
                .Where(artifact => artifact.Key.StartsWith(prefix, StringComparison.Ordinal))
                .Select(artifact => (Remainder: artifact.Key[prefix.Length..], Size: artifact.Value.LongLength))
                .GroupBy(entry => entry.Remainder.Split('/')[0])
                .OrderBy(group => group.Key, StringComparer.Ordinal)
                .Select(group => group.Any(entry => entry.Remainder.Contains('/'))
                    ? new JsonObject { ["path"] = group.Key, ["is_dir"] = true }
                    : new JsonObject { ["path"] = group.Key, ["is_dir"] = false, ["file_size"] = group.First().Size })
                .Concat(Enumerable.Range(0, directory.Length == 0 ? 0 : PadListingsWith).Select(index =>
                    new JsonObject { ["path"] = $"padding-{index}.bin", ["is_dir"] = false, ["file_size"] = 1 }))
                .ToArray<JsonNode?>();
            context.Response.ContentType = "application/json";
            // Protobuf's JSON leaves out an empty repeated field.
            await context.Response.WriteAsync((entries.Length == 0 ? [] : new JsonObject { ["files"] = new JsonArray(entries) }).ToJsonString());
            return;
        }

        SafePath(path);
        switch (request.Method)
        {
            case "PUT":
                _artifacts[path] = body;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{}");
                return;
            case "GET" when RedirectDownloads is { } redirect && path.EndsWith("/" + redirect.FileName, StringComparison.Ordinal):
                context.Response.StatusCode = (int)HttpStatusCode.Found;
                context.Response.Headers.Location = new Uri(redirect.Target, ArtifactsApi + "/" + path).AbsoluteUri;
                return;
            case "GET" when _artifacts.TryGetValue(path, out var bytes):
                context.Response.ContentType = "application/octet-stream";
                context.Response.ContentLength = bytes.Length;
                if (CutShortDownloadsOf is { } cut && path.EndsWith("/" + cut, StringComparison.Ordinal))
                {
                    await context.Response.Body.WriteAsync(bytes.AsMemory(0, bytes.Length / 2));
                    await context.Response.Body.FlushAsync();
                    context.Abort();
                    return;
                }

                if (StallDownloadsOf is { } stall && path.EndsWith("/" + stall, StringComparison.Ordinal))
                {
                    await context.Response.Body.WriteAsync(bytes.AsMemory(0, bytes.Length / 2));
                    await context.Response.Body.FlushAsync();
                    Interlocked.Increment(ref _stalled);
                    await Task.Delay(Timeout.Infinite, context.RequestAborted);
                    return;
                }

                if (OversizeDownloadsOf is { } oversize && path.EndsWith("/" + oversize, StringComparison.Ordinal))
                {
                    context.Response.ContentLength = null;
                    await context.Response.Body.WriteAsync(bytes);
                    await context.Response.Body.WriteAsync(new byte[1024 * 1024]);
                    return;
                }

                await context.Response.Body.WriteAsync(bytes);
                return;
            case "GET":
                throw NotFound($"File {path} not found.");
            default:
                throw new MLflowError(HttpStatusCode.MethodNotAllowed, "ENDPOINT_NOT_FOUND", $"{request.Method} is not allowed on artifacts.");
        }
    }

    private static void SafePath(string path)
    {
        if (path.Split('/').Any(part => part is ".." or ".") || path.StartsWith('/') || path.Contains('\\', StringComparison.Ordinal))
        {
            throw Invalid("Invalid path");
        }
    }

    private Run FindRun(string runId) =>
        _runs.TryGetValue(runId, out var run) ? run : throw NotFound($"Run with id={runId} not found");

    private RegisteredModel FindModel(string name) =>
        _models.TryGetValue(name, out var model) ? model : throw NotFound($"Registered Model with name={name} not found");

    private ModelVersion FindVersion(string name, string version)
    {
        lock (_lock)
        {
            return FindModel(name).Versions.TryGetValue(version, out var found)
                ? found
                : throw NotFound($"Model Version (name={name}, version={version}) not found");
        }
    }

    private string[] Aliases(string name)
    {
        lock (_lock)
        {
            return _models.TryGetValue(name, out var model) ? [.. model.Aliases.Keys] : [];
        }
    }

    private static JsonObject RunJson(Run run) => new()
    {
        ["info"] = run.Info.DeepClone(),
        ["data"] = new JsonObject
        {
            ["tags"] = new JsonArray([.. run.Tags.Select(tag => (JsonNode)new JsonObject { ["key"] = tag.Key, ["value"] = tag.Value })]),
        },
    };

    private static string RequiredString(JsonObject body, string name) =>
        OptionalString(body, name) is { Length: > 0 } value ? value : throw Missing(name);

    private static string? OptionalString(JsonObject body, string name) => body[name] switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => throw WrongType(name, "a string"),
    };

    // Protobuf's JSON takes an int64 as a number or as a decimal string.
    private static long? OptionalInt64(JsonObject body, string name) => body[name] switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<long>(out var number) => number,
        JsonValue value when value.GetValueKind() == JsonValueKind.String
            && long.TryParse(value.GetValue<string>(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => throw WrongType(name, "an int64"),
    };

    private static double RequiredDouble(JsonObject body, string name) => body[name] switch
    {
        null => throw Missing(name),
        JsonValue value when value.GetValueKind() == JsonValueKind.Number => value.GetValue<double>(),
        JsonValue value when value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is "NaN" or "Infinity" or "-Infinity" =>
            double.Parse(value.GetValue<string>(), CultureInfo.InvariantCulture),
        _ => throw WrongType(name, "a double"),
    };

    private static JsonArray Array(JsonObject body, string name) => body[name] switch
    {
        null => [],
        JsonArray array => array,
        _ => throw WrongType(name, "a list"),
    };

    private static Dictionary<string, string> KeyValues(JsonObject body, string name)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in Array(body, name))
        {
            var pair = item as JsonObject ?? throw WrongType(name, "a list of {key, value}");
            var key = RequiredString(pair, "key");
            if (key.Length > 250)
            {
                throw Invalid($"'{key[..20]}...' exceeds the maximum length of 250 characters");
            }

            pairs[key] = OptionalString(pair, "value") ?? string.Empty;
        }

        return pairs;
    }

    [GeneratedRegex(@"^[\w\-]*$")]
    private static partial Regex AliasName();

    [GeneratedRegex(@"^[vV]\d+$")]
    private static partial Regex VersionAlias();

    private static MLflowError Missing(string name) =>
        Invalid($"Missing value for required parameter '{name}'. See the API docs for more information about request parameters.");

    private static MLflowError WrongType(string name, string type) =>
        Invalid($"Invalid value for parameter '{name}' supplied: it must be {type}. See the API docs for more information about request parameters.");

    private static MLflowError Invalid(string message) => new(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", message);

    private static MLflowError NotFound(string message) => new(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST", message);

    /// <summary>What a run holds, for assertions.</summary>
    public sealed record RunState(string Status, IReadOnlyDictionary<string, string> Params, IReadOnlyDictionary<string, string> Tags, IReadOnlyList<LoggedMetric> Metrics);

    public sealed record LoggedMetric(string Key, double Value, long Timestamp, long Step);

    private sealed class MLflowError(HttpStatusCode status, string errorCode, string message) : Exception(message)
    {
        public HttpStatusCode Status { get; } = status;

        public string ErrorCode { get; } = errorCode;
    }

    private sealed record Experiment(string Id, string Name, string ArtifactLocation)
    {
        public JsonObject ToJson() => new()
        {
            ["experiment_id"] = Id,
            ["name"] = Name,
            ["artifact_location"] = ArtifactLocation,
            ["lifecycle_stage"] = "active",
        };
    }

    private sealed class Run(JsonObject info)
    {
        public JsonObject Info { get; } = info;

        public Dictionary<string, string> Params { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, string> Tags { get; } = new(StringComparer.Ordinal);

        public List<LoggedMetric> Metrics { get; } = [];
    }

    private sealed class RegisteredModel
    {
        public Dictionary<string, ModelVersion> Versions { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, string> Aliases { get; } = new(StringComparer.Ordinal);
    }

    private sealed record ModelVersion(string Name, string Version, string Source, string RunId)
    {
        public JsonObject ToJson(string[] aliases) => new()
        {
            ["name"] = Name,
            ["version"] = Version,
            ["creation_timestamp"] = 1700000000000,
            ["current_stage"] = "None",
            ["source"] = Source,
            ["run_id"] = RunId,
            ["status"] = "READY",
            ["aliases"] = new JsonArray([.. aliases.Select(alias => (JsonNode)JsonValue.Create(alias))]),
        };
    }
}
