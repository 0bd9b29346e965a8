using System.Net.Http.Headers;

namespace ImageClassifier.LoadGenerator;

/// <summary>What to send, how hard and for how long: the same POST, over and over.</summary>
public sealed record LoadPlan(
    Uri Target,
    string Mode,
    ReadOnlyMemory<byte> Body,
    string ContentType,
    int Concurrency,
    TimeSpan Warmup,
    TimeSpan Duration,
    int RatePerConnection = 0)
{
    /// <summary>A fresh request over the shared body bytes (a request message cannot be sent twice).</summary>
    public HttpRequestMessage CreateRequest()
    {
        var content = new ReadOnlyMemoryContent(Body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(ContentType);
        return new HttpRequestMessage(HttpMethod.Post, Target) { Content = content };
    }
}
