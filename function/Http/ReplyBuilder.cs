using System.Diagnostics;
using CloudNative.CloudEvents;
using ImageClassifier.Observability;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Http;

/// <summary>Makes the reply events of DESIGN.md's Interface section: a classification, or a batch entry's failure.</summary>
internal sealed class ReplyBuilder(IOptions<FunctionOptions> options, TimeProvider timeProvider)
{
    /// <summary>Appended to CE_TYPE for the reply to a batch entry that failed.</summary>
    public const string FailedTypeSuffix = ".failed";

    /// <summary>The type of a failed batch entry's reply event.</summary>
    public string FailedType => options.Value.CeType + FailedTypeSuffix;

    /// <summary>The reply; with <paramref name="span"/>'s trace context, so its receiver continues the trace.</summary>
    public CloudEvent Build(ClassificationResult result, Activity? span = null)
    {
        var reply = NewEvent(options.Value.CeType, result.Url, MediaTypes.Json, new ReplyData(
            result.Url?.AbsoluteUri,
            new ReplyModel(result.Model.Name, result.Model.Sha256),
            [.. result.Predictions.Select(p => new ReplyPrediction(p.Index, p.Synset, p.Label, p.Probability))]));
        if (span is not null)
        {
            TraceContextAttributes.Write(reply, span);
        }

        return reply;
    }

    /// <summary>The reply to a batch entry that could not be classified: its problem as the data.</summary>
    public CloudEvent BuildFailure(ProblemDetails problem, Uri? url) =>
        NewEvent(FailedType, url, ProblemWriter.ContentType, problem);

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
