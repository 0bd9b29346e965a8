using ImageClassifier.Fuzzing;

namespace ImageClassifier.Tests.Fuzzing;

/// <summary>
/// Every input with which AFL++ crashed a fuzzing target (tests/Fuzzing/regressions/&lt;target&gt;),
/// replayed through the same target code, and the bugs they showed, written out: each must now
/// end in a refusal the edge answers with a 4xx, never an exception or a hang. (Three JPEGs whose
/// EXIF profile is malformed threw from the decode-cost estimate, before the decoder's own
/// handling; Skia's decoder, which ignores what it does not need of EXIF, decodes one of them.
/// WebPs with a chunk size near 4 GiB looped for ever in the header reader.)
/// </summary>
public sealed class FuzzFindingsTests
{
    public static TheoryData<string> EventFindings => Findings("events");

    [Theory]
    [MemberData(nameof(EventFindings))]
    public async Task An_event_finding_is_refused_as_a_malformed_request(string name)
    {
        var input = FuzzInput.Parse(await File.ReadAllBytesAsync(PathOf("events", name)));

        var outcome = await new EventReadingTarget().RunAsync(input, CancellationToken.None);

        Assert.Contains(outcome, new[] { "invalid-cloudevent", "invalid-request" });
    }

    public static TheoryData<string> ImageFindings => Findings("images");

    [Theory]
    [MemberData(nameof(ImageFindings))]
    public async Task An_image_finding_is_refused_as_a_corrupt_image_or_decoded(string name)
    {
        var image = await File.ReadAllBytesAsync(PathOf("images", name));

        var outcome = await new ImageDecodingTarget().RunAsync(image, CancellationToken.None);

        Assert.Contains(outcome, new[] { "image-corrupt", "prepared" });
    }

    [Theory]
    [InlineData("ce-subject", "50%")]
    [InlineData("ce-subject", "%zz")]
    [InlineData("ce-subject", "%C3%28")]
    [InlineData("ce-subject", "\"unterminated")]
    [InlineData("ce-myextension", "%FF")]
    public async Task A_badly_encoded_attribute_header_is_an_invalid_cloudevent(string header, string value)
    {
        var input = new FuzzInput("application/json", [new("ce-specversion", "1.0"), new("ce-id", "1"), new("ce-source", "urn:t"), new("ce-type", "t"), new(header, value)],
            """{"url":"https://example.com/cat.jpg"}"""u8.ToArray());

        Assert.Equal("invalid-cloudevent", await new EventReadingTarget().RunAsync(input, CancellationToken.None));
    }

    [Fact]
    public async Task Invalid_utf8_inside_a_structured_event_string_is_an_invalid_cloudevent()
    {
        byte[] body = [.. """{"specversion":"1"""u8, 0xFF, .. "\",\"id\":\"1\",\"source\":\"urn:t\",\"type\":\"t\"}"u8];

        Assert.Equal("invalid-cloudevent", await new EventReadingTarget().RunAsync(new FuzzInput("application/cloudevents+json", [], body), CancellationToken.None));
    }

    [Fact]
    public async Task Invalid_utf8_inside_a_json_request_string_is_an_invalid_request()
    {
        byte[] body = [.. """{"url":"https://example.com/"""u8, 0xFF, 0xFE, .. "\"}"u8];

        Assert.Equal("invalid-request", await new EventReadingTarget().RunAsync(new FuzzInput("application/json", [], body), CancellationToken.None));
    }

    private static string PathOf(string target, string name) =>
        Path.Combine(RepositoryRoot.Path, "tests", "Fuzzing", "regressions", target, name);

    private static TheoryData<string> Findings(string target)
    {
        var findings = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Path.GetDirectoryName(PathOf(target, "x"))!).Order(StringComparer.Ordinal))
        {
            findings.Add(Path.GetFileName(file));
        }

        return findings;
    }
}
