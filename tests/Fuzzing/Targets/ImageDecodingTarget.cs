using System.Globalization;
using ImageClassifier.Failures;
using ImageClassifier.Imaging;
using ImageClassifier.Memory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ImageClassifier.Fuzzing;

/// <summary>
/// Bytes → tensor as every request does it: the header identified, the decode's cost worked out
/// from it and paid for from the memory budget, the image decoded within its limits, then
/// resized, cropped and normalised. A refusal is a <see cref="ClassificationException"/>;
/// anything else escaping is a bug, and the fuzzer's crash.
/// </summary>
internal sealed class ImageDecodingTarget
{
    /// <summary>
    /// Below MAX_IMAGE_PIXELS's default so that a mutated header declaring a large image costs
    /// milliseconds rather than a 160 MB buffer: the decoder's code paths are the same.
    /// </summary>
    public const int FuzzingMaxImagePixels = 1_000_000;

    /// <summary>
    /// Less than the decode of an image at <see cref="FuzzingMaxImagePixels"/> costs, so a header
    /// within the pixel limit can still be refused by the budget (413 too-large-for-memory).
    /// </summary>
    public const long FuzzingMemoryBudgetBytes = 4 * 1024 * 1024;

    private readonly ImagePreprocessor preprocessor;

    public ImageDecodingTarget()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["MAX_IMAGE_PIXELS"] = FuzzingMaxImagePixels.ToString(CultureInfo.InvariantCulture),
                ["MEMORY_BUDGET_BYTES"] = FuzzingMemoryBudgetBytes.ToString(CultureInfo.InvariantCulture),
            })
            .Build();
        var services = new ServiceCollection()
            .AddLogging()
            .AddImaging(configuration)
            .AddMemoryBudget(configuration)
            .BuildServiceProvider();
        preprocessor = services.GetRequiredService<ImagePreprocessor>();
        Budget = services.GetRequiredService<MemoryBudget>();
    }

    /// <summary>
    /// What the decode is paid from: the preprocessor reserves the header's planned
    /// <see cref="ImageHeader.DecodeBytes"/> here, the charge <see cref="MemoryOracle"/> compares with.
    /// </summary>
    public MemoryBudget Budget { get; }

    /// <summary>Returns "prepared" or the problem slug the edge would answer with.</summary>
    public async Task<string> RunAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        try
        {
            using var tensor = await preprocessor.PrepareAsync(bytes, PreprocessingSpec.ImageNet, cancellationToken);
            return "prepared";
        }
        catch (ClassificationException failure)
        {
            return failure.Type.Slug;
        }
    }
}
