using System.Diagnostics;
using System.Net.Mime;
using CloudNative.CloudEvents;
using ImageClassifier.Failures;
using ImageClassifier.Observability;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Delivery;

/// <summary>Makes the reply events (README, "Requests"): a classification, or a batch entry's failure.</summary>
internal sealed class ReplyBuilder(IOptions<FunctionOptions> options, TimeProvider timeProvider)
{
    /// <summary>Appended to CE_TYPE for the reply to a batch entry that failed.</summary>
    public const string FailedTypeSuffix = ".failed";

    /// <summary>The type of a failed batch entry's reply event.</summary>
    public string FailedType => options.Value.CeType + FailedTypeSuffix;

    /// <summary>The reply; with <paramref name="span"/>'s trace context, so its receiver continues the trace.</summary>
    public CloudEvent Build(ClassificationResult result, Activity? span = null)
    {
        var reply = NewEvent(options.Value.CeType, result.Url, MediaTypeNames.Application.Json, new ReplyData(
            result.Url?.AbsoluteUri,
            new ReplyModel(result.Model.Name, result.Model.Version, result.Model.Sha256),
            [.. result.Predictions.Select(p => new ReplyPrediction(p.Index, p.Synset, p.Label, p.Probability))]));
        if (span is not null)
        {
            TraceContextAttributes.Write(reply, span);
        }

        return reply;
    }

    /// <summary>The reply to a batch entry that could not be classified: its problem as the data.</summary>
    public CloudEvent BuildFailure(ClassificationException failure, Uri? url) =>
        NewEvent(FailedType, url, MediaTypeNames.Application.ProblemJson, failure.ToProblemDetails());

    private CloudEvent NewEvent(string type, Uri? url, string dataContentType, object data) => new(CloudEventsSpecVersion.V1_0)
    {
        Id = Guid.NewGuid().ToString(),
        Source = new Uri(options.Value.CeSource, UriKind.RelativeOrAbsolute),
        Type = type,
        Subject = url?.AbsoluteUri,
        Time = timeProvider.GetUtcNow(),
        DataContentType = dataContentType,
        Data = data,
    };
}
