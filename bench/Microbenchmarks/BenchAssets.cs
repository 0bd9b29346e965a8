using ImageClassifier.Imaging;
using ImageClassifier.Inference;

namespace ImageClassifier.Microbenchmarks;

/// <summary>
/// The inputs every benchmark uses: the load runs' JPEG (bench/images) and the official models
/// beside the repository (MODEL_SOURCE_DIR, as for the build, or ../shared/models).
/// </summary>
internal static class BenchAssets
{
    public const string JpegName = "coffee-768x576.jpg";

    public static string Repository { get; } = FindRepository();

    public static byte[] Jpeg { get; } = File.ReadAllBytes(Path.Combine(Repository, "bench", "images", JpegName));

    public static string ModelDirectory
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable("MODEL_SOURCE_DIR");
            return Path.GetFullPath(string.IsNullOrEmpty(configured)
                ? Path.Combine(Repository, "..", "shared", "models")
                : Path.Combine(Repository, configured));
        }
    }

    public static ModelBundle MobileNet() => new(
        "mobilenetv2-12-int8",
        Path.Combine(ModelDirectory, "mobilenetv2-12-int8.onnx"),
        ExpectedSha256: null,
        [.. File.ReadAllLines(Path.Combine(ModelDirectory, "synset.txt")).Where(l => l.Length > 0).Select(ModelLabel.Parse)],
        PreprocessingSpec.ImageNet);

    /// <summary>BenchmarkDotNet runs each job from a generated folder, so the repository is found from this source file's build.</summary>
    private static string FindRepository()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ImageClassifier.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No ImageClassifier.slnx above {AppContext.BaseDirectory}.");
    }
}
