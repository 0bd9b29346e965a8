using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace ImageClassifier.Delivery;

/// <summary>
/// What an event asks for, reduced to a SHA-256: its image URL or image bytes, and its top-k. Two
/// deliveries of one event ask for the same; a request that reuses a known (source, id) to ask for
/// something else does not, and must not be given the other's reply.
/// </summary>
internal readonly record struct RequestDigest(UInt128 High, UInt128 Low)
{
    public static RequestDigest Of(ClassificationRequest request)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> topK = stackalloc byte[5];
        topK[0] = request.TopK.HasValue ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteInt32LittleEndian(topK[1..], request.TopK ?? 0);
        hash.AppendData(topK);
        if (request.Url is { } url)
        {
            hash.AppendData("url:"u8);
            hash.AppendData(Encoding.UTF8.GetBytes(url.OriginalString));
        }

        if (request.Image is { } image)
        {
            hash.AppendData("image:"u8);
            hash.AppendData(image.Span);
        }

        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        return new(BinaryPrimitives.ReadUInt128LittleEndian(digest), BinaryPrimitives.ReadUInt128LittleEndian(digest[16..]));
    }
}
