namespace ImageClassifier.InferenceProtocol;

/// <summary>GET /v2: who is serving and which protocol extensions it offers.</summary>
internal sealed record ServerMetadata(string Name, string Version, IReadOnlyList<string> Extensions);

/// <summary>GET /v2/models/{name}: the model's tensors, -1 marking a dynamic dimension.</summary>
internal sealed record ModelMetadata(
    string Name,
    IReadOnlyList<string> Versions,
    string Platform,
    IReadOnlyList<TensorMetadata> Inputs,
    IReadOnlyList<TensorMetadata> Outputs);

/// <summary>A tensor's name, element type and shape.</summary>
internal sealed record TensorMetadata(string Name, string Datatype, long[] Shape);

/// <summary>GET /v2/health/live.</summary>
internal sealed record ServerLive(bool Live);

/// <summary>GET /v2/health/ready.</summary>
internal sealed record ServerReady(bool Ready);

/// <summary>GET /v2/models/{name}/ready.</summary>
internal sealed record ModelReady(string Name, bool Ready);
