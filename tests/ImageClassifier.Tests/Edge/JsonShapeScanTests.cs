using System.Text;
using System.Text.Json;
using ImageClassifier.Edge;
using ImageClassifier.Failures;
using ImageClassifier.Tests.Harness;
using Microsoft.Extensions.DependencyInjection;

namespace ImageClassifier.Tests.Edge;

/// <summary>The scan every JSON body passes before it is parsed: its general limits, what it counts, and that it allocates nothing.</summary>
public sealed class JsonShapeScanTests : IDisposable
{
    private const int MaxStringBytes = 1000;

    private static readonly JsonShapeLimits Limits = new(JsonShapeScan.MaxDepth, RequestReader.MaxJsonArrayValues, RequestReader.MaxJsonObjectMembers, MaxStringBytes);

    private readonly ServiceProvider services = EdgeServices.Build();
    private readonly CounterRecorder counters;

    public JsonShapeScanTests() => counters = new CounterRecorder(services);

    public static TheoryData<string, string> OnePastALimit => new()
    {
        { Nested(JsonShapeScan.MaxDepth + 1), JsonShapeScan.Reasons.Depth },
        { Values(RequestReader.MaxJsonArrayValues + 1), JsonShapeScan.Reasons.ArrayValues },
        { Members(RequestReader.MaxJsonObjectMembers + 1), JsonShapeScan.Reasons.ObjectMembers },
        { Text(MaxStringBytes + 1), JsonShapeScan.Reasons.StringBytes },
        { $$"""{{{Text(MaxStringBytes + 1)}}:1}""", JsonShapeScan.Reasons.StringBytes },
    };

    public static TheoryData<string> AtEachLimit =>
    [
        Nested(JsonShapeScan.MaxDepth),
        Values(RequestReader.MaxJsonArrayValues),
        Members(RequestReader.MaxJsonObjectMembers),
        Text(MaxStringBytes),
        $$"""{{{Text(MaxStringBytes)}}:1}""",
    ];

    private JsonShapeScan Scan => services.GetRequiredService<JsonShapeScan>();

    [Theory]
    [MemberData(nameof(OnePastALimit))]
    public void A_body_one_past_a_limit_is_413_json_too_complex_and_counted_by_the_limit(string json, string reason)
    {
        var failure = Assert.Throws<ClassificationException>(() => ScanOf(json));

        Assert.Equal(Problems.JsonTooComplex, failure.Type);
        Assert.Equal(413, failure.Type.Status);
        Assert.Equal(1, counters.Total("imageclassifier.requests.json_refused", reason));
    }

    [Theory]
    [MemberData(nameof(AtEachLimit))]
    public void A_body_at_a_limit_passes(string json)
    {
        ScanOf(json);

        Assert.Equal(0, counters.Total("imageclassifier.requests.json_refused"));
    }

    [Fact]
    public void Every_token_a_parse_meets_is_counted()
    {
        // {, "a", [, 1, "b", null, ], "c", {, }, }
        Assert.Equal(11, ScanOf("""{"a": [1, "b", null], "c": {}}""").Tokens);
    }

    [Fact]
    public void What_the_scan_charges_covers_what_a_document_of_empty_arrays_allocates()
    {
        // The most tokens a byte can carry: 2 in 3 bytes, each a row of JsonDocument's.
        var body = HostileJson.EmptyArraysBatch(3_000_000);
        var shape = ScanUnbounded(body);

        var before = GC.GetAllocatedBytesForCurrentThread();
        using (JsonDocument.Parse(body))
        {
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated <= shape.ParseBytes, $"the parse allocated {allocated} bytes; the scan charges {shape.ParseBytes}");
        }
    }

    [Fact]
    public void The_scan_allocates_nothing_in_proportion_to_the_body()
    {
        ScanUnbounded(HostileJson.EmptyArraysBatch(1000));
        var body = HostileJson.EmptyArraysBatch(20_000_000);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var shape = ScanUnbounded(body);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(shape.Tokens > 13_000_000, $"{shape.Tokens} tokens");
        Assert.True(allocated < 1024, $"scanning {body.Length} bytes allocated {allocated} bytes");
    }

    [Theory]
    [InlineData("{\"url\":")]
    [InlineData("[1,]")]
    [InlineData("\"\u00ff")]
    public void A_body_that_is_not_json_is_what_the_caller_makes_of_it(string json)
    {
        var failure = Assert.Throws<ClassificationException>(() => ScanOf(json));

        Assert.Equal(Problems.InvalidRequest, failure.Type);
        Assert.Equal("not JSON", failure.Message);
    }

    [Fact]
    public void A_body_that_is_not_utf8_is_what_the_caller_makes_of_it()
    {
        var failure = Assert.Throws<ClassificationException>(() => ScanOf([(byte)'"', 0xC3, 0x28, (byte)'"']));

        Assert.Equal("not JSON", failure.Message);
    }

    public void Dispose()
    {
        counters.Dispose();
        services.Dispose();
    }

    private JsonShape ScanOf(string json) => ScanOf(Encoding.UTF8.GetBytes(json));

    private JsonShape ScanOf(byte[] json)
    {
        var rules = new NoJsonShapeRules();
        return Scan.Scan(json, Limits, ref rules, e => Problems.InvalidRequest.Failure("not JSON", e));
    }

    private JsonShape ScanUnbounded(byte[] json)
    {
        var rules = new NoJsonShapeRules();
        return Scan.Scan(json, new JsonShapeLimits(JsonShapeScan.MaxDepth, int.MaxValue, int.MaxValue, int.MaxValue), ref rules,
            e => Problems.InvalidRequest.Failure("not JSON", e));
    }

    private static string Nested(int depth) => new string('[', depth) + new string(']', depth);

    private static string Values(int count) => "[" + string.Join(',', Enumerable.Repeat("0", count)) + "]";

    private static string Members(int count) => "{" + string.Join(',', Enumerable.Range(0, count).Select(i => $"\"m{i}\":0")) + "}";

    private static string Text(int bytes) => "\"" + new string('x', bytes) + "\"";
}
