using System.Text;
using ImageClassifier.Edge;
using ImageClassifier.Fuzzing;
using ImageClassifier.Imaging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ImageClassifier.Tests.Fuzzing;

/// <summary>
/// The fuzzing targets reach the edge's limits: every seed is a valid request just inside them,
/// and one step past each limit is the refusal the function answers with, so a mutation of a
/// seed explores both sides of every limit.
/// </summary>
public sealed class FuzzTargetLimitTests
{
    private const string UrlJson = """{"url":"https://example.com/cat.jpg"}""";

    private static readonly KeyValuePair<string, string>[] Required =
        [new("ce-specversion", "1.0"), new("ce-id", "1"), new("ce-source", "urn:t"), new("ce-type", "t")];

    public static TheoryData<string> SeedNames => [.. SampleRequests.All(Png(24, 24)).Select(seed => seed.Name)];

    [Theory]
    [MemberData(nameof(SeedNames))]
    public async Task Every_event_seed_is_read_as_a_valid_request(string name)
    {
        var input = SampleRequests.All(Png(24, 24)).Single(seed => seed.Name == name).Input;

        var outcome = await new EventReadingTarget().RunAsync(input, CancellationToken.None);

        Assert.Equal(name == "binary-own-reply" ? "own-reply" : "accepted", outcome);
    }

    [Fact]
    public async Task An_id_one_byte_over_the_attribute_limit_is_attribute_too_large()
    {
        var input = Binary(("ce-id", new string('i', EdgeOptions.DefaultMaxAttributeBytes + 1)));

        Assert.Equal("attribute-too-large", await new EventReadingTarget().RunAsync(input, CancellationToken.None));
    }

    [Fact]
    public async Task One_extension_over_the_limit_is_an_invalid_cloudevent()
    {
        var input = Binary([.. Enumerable.Range(0, AttributeLimits.MaxExtensions + 1).Select(n => ($"ce-ext{n}", "x"))]);

        Assert.Equal("invalid-cloudevent", await new EventReadingTarget().RunAsync(input, CancellationToken.None));
    }

    [Fact]
    public async Task A_tracestate_one_character_over_the_limit_is_attribute_too_large()
    {
        var input = Binary(("ce-traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"), ("ce-tracestate", "a=" + new string('b', AttributeLimits.MaxTraceStateChars - 1)));

        Assert.Equal("attribute-too-large", await new EventReadingTarget().RunAsync(input, CancellationToken.None));
    }

    [Fact]
    public async Task An_image_body_larger_than_the_targets_memory_budget_is_too_large_for_memory()
    {
        var body = new byte[EventReadingTarget.FuzzingMemoryBudgetBytes + 1];
        Png(24, 24).CopyTo(body, 0);

        var outcome = await new EventReadingTarget().RunAsync(new FuzzInput("image/png", [], body), CancellationToken.None);

        Assert.Equal("too-large-for-memory", outcome);
    }

    [Fact]
    public async Task The_image_target_prepares_a_small_image_and_refuses_past_the_budget_and_the_pixel_limit()
    {
        var target = new ImageDecodingTarget();
        const int side = 1000;
        Assert.Equal(side * side, ImageDecodingTarget.FuzzingMaxImagePixels);

        Assert.Equal("prepared", await target.RunAsync(Png(24, 24), CancellationToken.None));
        Assert.Equal("too-large-for-memory", await target.RunAsync(Png(side, side), CancellationToken.None));
        Assert.Equal("image-too-many-pixels", await target.RunAsync(Png(side + 1, side), CancellationToken.None));
    }

    [Fact]
    public async Task The_image_targets_charge_for_the_memory_oracle_is_the_planned_decode()
    {
        var png = Png(300, 200);
        var loader = new ServiceCollection().AddImaging(new ConfigurationBuilder().Build()).BuildServiceProvider().GetRequiredService<IImageLoader>();
        var planned = loader.Identify(png, PreprocessingSpec.ImageNet.ResizedSize).DecodeBytes;
        var target = new ImageDecodingTarget();

        Assert.Equal("prepared", await target.RunAsync(png, CancellationToken.None));

        // The budget counts in 4 KiB pages.
        Assert.Equal((planned + 4095) / 4096 * 4096, target.Budget.TakePeakReserved());
    }

    [Fact]
    public async Task The_request_targets_charge_for_the_memory_oracle_is_the_body_as_read()
    {
        var body = new byte[100_000];
        Png(24, 24).CopyTo(body, 0);
        var target = new EventReadingTarget();

        Assert.Equal("accepted", await target.RunAsync(new FuzzInput("image/png", [], body), CancellationToken.None));

        // The body grows in pooled arrays of powers of two: the 100,001 bytes that notice an excess take 128 KiB.
        Assert.Equal(128 * 1024, target.Budget.TakePeakReserved());
        Assert.Equal(0, target.Budget.Reserved);
    }

    private static FuzzInput Binary(params (string Name, string Value)[] headers)
    {
        var named = headers.Select(h => h.Name).ToHashSet();
        return new FuzzInput("application/json",
            [.. Required.Where(h => !named.Contains(h.Key)), .. headers.Select(h => KeyValuePair.Create(h.Name, h.Value))],
            Encoding.UTF8.GetBytes(UrlJson));
    }

    private static byte[] Png(int width, int height)
    {
        using var image = new Image<Rgb24>(width, height);
        using var png = new MemoryStream();
        image.SaveAsPng(png);
        return png.ToArray();
    }
}
