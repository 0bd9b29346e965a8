using ImageClassifier.Inference;

namespace ImageClassifier.Tests.MLflow;

/// <summary>Classifications as the function would hand them to the tracker.</summary>
public static class Predictions
{
    public static ModelInfo Model { get; } = new("mobilenetv2-12-int8", "cc028fe6cae7bc11a4ff53cfc9b79c920e8be65ce33a904ec3e2a8f66d77f95f");

    public static ClassificationResult Result(Uri? url) =>
        new(url, Model, [new Prediction(285, "n02124075", "Egyptian cat", 0.5f), new Prediction(281, "n02123045", "tabby", 0.25f)]);

    public static ClassificationRequest UrlRequest(Uri url, string? eventId = null) => new(url, null, null, eventId);

    public static ClassificationRequest BytesRequest(byte[] image) => new(null, image, null);
}
