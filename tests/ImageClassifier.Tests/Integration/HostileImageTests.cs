using System.Net;
using System.Net.Http.Headers;
using ImageClassifier.Tests.Config;
using ImageClassifier.Tests.Harness;
using ImageClassifier.Tests.Imaging;
using Xunit.Abstractions;

namespace ImageClassifier.Tests.Integration;

/// <summary>
/// Small files whose parsing once cost a thousand times their size, each sent to a fresh published
/// function with its shipped defaults, as the buildpack runs it: each is answered 200 or 4xx
/// within 15 s, the peak resident set (VmHWM, which sees the native decoder's memory) stays under
/// the manifest's limit, and the function still classifies afterwards. Photos that are merely
/// large cost what their reduced decode costs.
/// </summary>
public sealed class HostileImageTests(ITestOutputHelper output)
{
    private const int Megabyte = 1024 * 1024;

    [Fact]
    public Task A_1x1_png_whose_ztxt_inflates_to_300_MB_costs_nothing_for_its_text() =>
        AssertAnsweredWithinLimitAsync([HandMadePng.TextBomb(chunks: 1, inflatedBytes: 300 * Megabyte)], "image/png");

    [Fact]
    public Task A_png_with_eight_such_chunks_costs_nothing_for_them_either() =>
        AssertAnsweredWithinLimitAsync([HandMadePng.TextBomb(chunks: 8, inflatedBytes: 300 * Megabyte)], "image/png");

    [Fact]
    public Task Four_6000x6000_jpegs_with_a_scan_per_component_at_once_are_paid_for_in_full() =>
        AssertAnsweredWithinLimitAsync(Enumerable.Repeat(HandMadeJpeg.ScanPerComponent(6000, 6000), 4).ToArray(), "image/jpeg");

    [Fact]
    public Task A_nine_byte_ftyp_box_is_refused_not_a_crash() =>
        AssertAnsweredWithinLimitAsync([[0, 0, 0, 0x18, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'h']], "image/heic", refused: true);

    [Fact]
    public async Task Eight_12_megapixel_photos_at_once_are_decoded_at_an_eighth_in_little_memory()
    {
        var photos = Enumerable.Repeat(HandMadeJpeg.Interleaved(4032, 3024), 8).ToArray();

        var peak = await AssertAnsweredWithinLimitAsync(photos, "image/jpeg", expectOk: true);

        Assert.True(peak < 192L * Megabyte, $"the peak resident set was {peak / Megabyte} MiB");
    }

    private async Task<long> AssertAnsweredWithinLimitAsync(byte[][] bodies, string contentType, bool refused = false, bool expectOk = false)
    {
        await using var function = await PublishedFunction.StartAsync(new Dictionary<string, string>());
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        await function.WaitUntilReadyAsync(client);

        var answers = await Task.WhenAll(bodies.Select(body => PostAsync(client, function.BaseAddress, body, contentType)));

        foreach (var (status, body, elapsed) in answers)
        {
            var code = (int)status;
            output.WriteLine($"{code} in {elapsed.TotalSeconds:F2} s, {bodies[0].Length} bytes sent");
            Assert.True(refused ? code is 415 or 422 : expectOk ? code == 200 : code is 200 or (>= 400 and < 500), $"{code}: {body}\n{function.Output}");
        }

        var peak = function.PeakResidentBytes;
        var limit = Manifests.MemoryLimitBytes();
        output.WriteLine($"peak resident set {peak / Megabyte} MiB, the manifest's limit {limit / Megabyte} MiB");
        Assert.True(peak < limit, $"the peak resident set was {peak / Megabyte} MiB, over the manifest's {limit / Megabyte} MiB");
        var (afterwards, reply, _) = await PostAsync(client, function.BaseAddress, TestImages.Read("coffee.png"), "image/png");
        Assert.True(afterwards == HttpStatusCode.OK, reply);
        Assert.Contains("espresso", reply, StringComparison.Ordinal);
        return peak;
    }

    private static async Task<(HttpStatusCode Status, string Body, TimeSpan Elapsed)> PostAsync(HttpClient client, Uri address, byte[] body, string contentType)
    {
        var started = TimeProvider.System.GetTimestamp();
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        using var response = await client.PostAsync(address, content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), TimeProvider.System.GetElapsedTime(started));
    }
}
