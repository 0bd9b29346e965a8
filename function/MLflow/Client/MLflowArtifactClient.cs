using System.Buffers;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.StaticFiles;

namespace ImageClassifier.MLflow.Client;

/// <summary>Run and model artifacts through the tracking server's proxied artifact endpoints.</summary>
public sealed class MLflowArtifactClient(MLflowRestClient rest, MLflowTrackingMetrics metrics)
{
    /// <summary>
    /// Entries of one artifact listing (MLflow's <c>artifacts?path=</c> has no paging): a model's
    /// directory holds a handful of files; more is refused, beside the listing's cap in bytes
    /// (MLFLOW_MAX_RESPONSE_BYTES).
    /// </summary>
    public const int MaxListingEntries = 1000;

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
        var files = response.Files ?? [];
        if (files.Count > MaxListingEntries)
        {
            metrics.Refused(MLflowTrackingMetrics.RefusalReasons.TooManyFiles);
            throw new InvalidDataException($"the artifact listing of {artifactUri} names {files.Count} entries, more than the {MaxListingEntries} a model's directory may have");
        }

        return files;
    }

    /// <summary>A small file of the artifact root (labels, MLmodel, a config), read whole, at most <paramref name="maxBytes"/>.</summary>
    /// <exception cref="MLflowResponseTooLargeException">The file is longer.</exception>
    public Task<byte[]> ReadSmallAsync(string artifactUri, string relativePath, int maxBytes, CancellationToken cancellationToken) =>
        rest.GetBytesAsync(Resolve(artifactUri).FileUrl(relativePath), maxBytes, cancellationToken);

    /// <summary>
    /// Copies one file into <paramref name="destination"/>, hashing it as it comes, and returns how
    /// many bytes came and their SHA-256. Stops reading past <paramref name="maxBytes"/>: a body
    /// longer than that is refused, however long it would have gone on.
    /// </summary>
    /// <exception cref="MLflowResponseTooLargeException">More than <paramref name="maxBytes"/> came, or were announced.</exception>
    public async Task<(long Bytes, string Sha256)> DownloadAsync(
        string artifactUri, string relativePath, Stream destination, long maxBytes, CancellationToken cancellationToken)
    {
        var url = Resolve(artifactUri).FileUrl(relativePath);
        using var response = await rest.GetStreamingAsync(url, cancellationToken);
        if (response.Content.Headers.ContentLength > maxBytes)
        {
            throw rest.TooLarge(response.StatusCode, url, maxBytes, "its listed size");
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            long total = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                total += read;
                if (total > maxBytes)
                {
                    throw rest.TooLarge(response.StatusCode, url, maxBytes, "its listed size");
                }

                hash.AppendData(buffer, 0, read);
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            return (total, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
