namespace ImageClassifier.Edge;

/// <summary>The JSON that names an image: <c>{"url": "...", "topK": 5}</c>, as a plain body or as event data.</summary>
internal sealed record RequestBody(string? Url, int? TopK);
