using CloudNative.CloudEvents;
using Microsoft.AspNetCore.Mvc;

namespace ImageClassifier.Http;

/// <summary>How one request (or one event of a batch) ended: a reply, an acknowledgement, or a problem.</summary>
internal sealed record RequestOutcome(int Status, CloudEvent? Reply = null, ClassificationException? Failure = null)
{
    /// <summary>An event of the function's own reply type: taken, not answered, so it cannot loop.</summary>
    public static RequestOutcome Acknowledged { get; } = new(StatusCodes.Status202Accepted);

    /// <summary>A bug: the caller learns only that it was not their fault.</summary>
    public static RequestOutcome InternalError { get; } = new(StatusCodes.Status500InternalServerError);

    public static RequestOutcome Replied(CloudEvent reply) => new(StatusCodes.Status200OK, reply);

    public static RequestOutcome Failed(ClassificationException failure) =>
        new(ProblemMapping.StatusAndTitle(failure.Kind).Status, Failure: failure);

    public string? ProblemSlug => Failure?.Problem ?? (Status == StatusCodes.Status500InternalServerError ? ProblemMapping.InternalErrorSlug : null);

    public ProblemDetails? Problem => Failure is { } failure
        ? ProblemMapping.ToProblem(failure)
        : Status == StatusCodes.Status500InternalServerError ? ProblemMapping.InternalError() : null;
}
