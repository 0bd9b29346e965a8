using System.Reflection;
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace ImageClassifier.Ui;

/// <summary>
/// The try page's files, embedded in the assembly. Each is read and hashed on its first request,
/// once, not at start-up: a scaled-from-zero instance spends nothing on a page no one asked for.
/// </summary>
internal sealed class TryPageAssets
{
    public const string PagePath = "/";

    /// <summary>Where the page's own files are served; the page links to them by these paths.</summary>
    public const string AssetPathPrefix = "/ui/";

    private readonly Dictionary<string, Lazy<TryPageAsset>> _assets;

    public TryPageAssets()
    {
        _assets = new Dictionary<string, Lazy<TryPageAsset>>(StringComparer.Ordinal)
        {
            [PagePath] = Embedded("index.html", "text/html; charset=utf-8"),
            [AssetPathPrefix + "app.css"] = Embedded("app.css", "text/css; charset=utf-8"),
            [AssetPathPrefix + "app.js"] = Embedded("app.js", "text/javascript; charset=utf-8"),
            [AssetPathPrefix + "icon.svg"] = Embedded("icon.svg", "image/svg+xml"),
        };
    }

    /// <summary>Whether any file has been read yet (for tests of when reading happens).</summary>
    public bool AnyLoaded => _assets.Values.Any(asset => asset.IsValueCreated);

    public TryPageAsset Page => _assets[PagePath].Value;

    /// <summary>The file served at <paramref name="path"/> under <see cref="AssetPathPrefix"/>, or null when there is none.</summary>
    public TryPageAsset? FindAsset(string path) =>
        path.StartsWith(AssetPathPrefix, StringComparison.Ordinal) && _assets.TryGetValue(path, out var asset) ? asset.Value : null;

    private static Lazy<TryPageAsset> Embedded(string fileName, string contentType) =>
        new(() => Load(fileName, contentType), LazyThreadSafetyMode.ExecutionAndPublication);

    private static TryPageAsset Load(string fileName, string contentType)
    {
        var name = typeof(TryPageAssets).Namespace + "." + fileName;
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The assembly has no embedded resource {name}.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var content = buffer.ToArray();

        // A hash of the content, so the tag changes exactly when the file does, whichever build served it.
        var hash = Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 16));
        return new TryPageAsset(content, contentType, new EntityTagHeaderValue($"\"{hash}\""));
    }
}
