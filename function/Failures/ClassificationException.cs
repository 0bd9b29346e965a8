using Microsoft.AspNetCore.Mvc;

namespace ImageClassifier.Failures;

/// <summary>
/// A request the function cannot serve, for a reason the caller or the image host caused (or
/// because the function cannot take it now), as opposed to a bug. Every entry point and every
/// stage throws this, with a type from <see cref="Problems"/>; the entry point answers it as an
/// RFC 9457 problem (or its protocol's error body) with the type's status.
/// </summary>
/// <param name="type">The case, from the catalogue.</param>
/// <param name="detail">A sentence for the caller: no secrets, no exception text.</param>
/// <param name="innerException">What went wrong inside, for the logs only.</param>
public sealed class ClassificationException(ProblemType type, string detail, Exception? innerException = null)
    : Exception(detail, innerException)
{
    public ProblemType Type { get; } = type;

    /// <summary>Members the problem carries beside the standard ones (RFC 9457 extension members), such as which attribute is wrong.</summary>
    public IReadOnlyDictionary<string, object?> Extensions { get; init; } = new Dictionary<string, object?>();

    /// <summary>The RFC 9457 problem this failure answers with.</summary>
    public ProblemDetails ToProblemDetails()
    {
        var problem = new ProblemDetails
        {
            Type = Type.Type,
            Title = Type.Title,
            Status = Type.Status,
            Detail = Message,
        };
        foreach (var (name, value) in Extensions)
        {
            problem.Extensions[name] = value;
        }

        return problem;
    }
}
