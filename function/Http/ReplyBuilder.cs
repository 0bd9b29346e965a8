using CloudNative.CloudEvents;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Http;

/// <summary>Makes the reply event of DESIGN.md's Interface section from the function's result.</summary>
internal sealed class ReplyBuilder(IOptions<FunctionOptions> options, TimeProvider timeProvider)
{
    public CloudEvent Build(ClassificationResult result) => new(CloudEventsSpecVersion.V1_0)
    {
        Id = Guid.NewGuid().ToString(),
        Source = new Uri(options.Value.CeSource, UriKind.RelativeOrAbsolute),
        Type = options.Value.CeType,
        Subject = result.Url?.AbsoluteUri,
        Time = timeProvider.GetUtcNow(),
        DataContentType = MediaTypes.Json,
        Data = new ReplyData(
            result.Url?.AbsoluteUri,
            new ReplyModel(result.Model.Name, result.Model.Sha256),
            [.. result.Predictions.Select(p => new ReplyPrediction(p.Index, p.Synset, p.Label, p.Probability))]),
    };
}
