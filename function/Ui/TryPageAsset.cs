using Microsoft.Net.Http.Headers;

namespace ImageClassifier.Ui;

/// <summary>One file of the try page as it is served: its bytes, content type and a strong ETag of its content.</summary>
internal sealed record TryPageAsset(ReadOnlyMemory<byte> Content, string ContentType, EntityTagHeaderValue ETag);
