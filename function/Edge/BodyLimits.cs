using ImageClassifier.Imaging;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Edge;

/// <summary>
/// How large a body each request form may have: JSON up to MAX_REQUEST_BYTES, an image up to
/// FETCH_MAX_BYTES (the largest image the function takes, however it comes: Imaging's), and a structured
/// event or a batch up to both, since it may carry the image as base64.
/// </summary>
internal sealed class BodyLimits(IOptions<EdgeOptions> edge, IOptions<ImagingOptions> image)
{
    /// <summary>Largest JSON body: plain JSON requests and binary-mode events with JSON data.</summary>
    public int Json => edge.Value.MaxRequestBytes;

    /// <summary>Largest image body, plain or as a binary-mode event's data.</summary>
    public int Image => image.Value.MaxImageBytes;

    /// <summary>Largest structured-mode event: the image as base64 (4/3 of it) in <c>data_base64</c>, plus an envelope of attributes.</summary>
    public int StructuredEvent => (int)Math.Min(int.MaxValue, (4L * ((Image + 2L) / 3)) + Json);

    /// <summary>The largest body of any form: the server's own hard limit.</summary>
    public int Largest => Math.Max(StructuredEvent, Image);
}
