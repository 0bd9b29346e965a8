using System.Net.Http.Headers;
using Microsoft.AspNetCore.StaticFiles;

namespace ImageClassifier.MLflow;

/// <summary>Run and model artifacts through the tracking server's proxied artifact endpoints.</summary>
public sealed class MLflowArtifactClient(MLflowRestClient rest)
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public ArtifactLocation Resolve(string artifactUri) => ArtifactLocation.Resolve(artifactUri, rest.TrackingRoot);

    /// <summary>Stores one file, as <c>mlflow.log_artifact</c> does: PUT with the file's content type.</summary>
    public async Task UploadAsync(string artifactUri, string relativePath, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var body = new ReadOnlyMemoryContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue(
            ContentTypes.TryGetContentType(relativePath, out var type) ? type : "application/octet-stream");
        await rest.PutAsync(Resolve(artifactUri).FileUrl(relativePath), body, cancellationToken);
    }

    /// <summary>The files and directories directly under a directory of the artifact root.</summary>
    public async Task<IReadOnlyList<MLflowArtifactFile>> ListAsync(string artifactUri, string relativePath, CancellationToken cancellationToken)
    {
        var response = await rest.GetAsync(Resolve(artifactUri).ListUrl(relativePath), MLflowJsonContext.Default.ListArtifactsResponse, cancellationToken);
        return response.Files ?? [];
    }

    /// <summary>Copies one file into <paramref name="destination"/> and returns how many bytes came.</summary>
    public async Task<long> DownloadAsync(string artifactUri, string relativePath, Stream destination, CancellationToken cancellationToken)
    {
        using var response = await rest.GetStreamingAsync(Resolve(artifactUri).FileUrl(relativePath), cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var start = destination.Position;
        await body.CopyToAsync(destination, cancellationToken);
        return destination.Position - start;
    }
}
