namespace ImageClassifier.InferenceProtocol;

/// <summary>
/// An inference request: named input tensors and, optionally, the outputs wanted. The
/// protocol's <c>parameters</c> name no option this server has, so they are not read.
/// </summary>
internal sealed record InferRequest(string? Id, IReadOnlyList<RequestInput>? Inputs, IReadOnlyList<RequestOutput>? Outputs);

/// <summary>One input tensor of a request; its data may be flat or nested, always row-major.</summary>
internal sealed record RequestInput(string? Name, long[]? Shape, string? Datatype, TensorData? Data);

/// <summary>An output the caller asks for by name.</summary>
internal sealed record RequestOutput(string? Name);

/// <summary>The answer to an inference request.</summary>
internal sealed record InferResponse(string ModelName, string? ModelVersion, string Id, IReadOnlyList<ResponseOutput> Outputs);

/// <summary>One output tensor of a reply, its data flat and row-major.</summary>
internal sealed record ResponseOutput(string Name, long[] Shape, string Datatype, float[] Data);

/// <summary>The protocol's failure body.</summary>
internal sealed record ErrorReply(string Error);
