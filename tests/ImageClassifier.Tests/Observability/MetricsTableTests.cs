using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using ImageClassifier.Tests.Harness;
using Microsoft.Extensions.DependencyInjection;

namespace ImageClassifier.Tests.Observability;

/// <summary>
/// The Metrics table of docs/operating.md against the instruments a running function creates,
/// both ways: every instrument is a row (under the name and type Prometheus shows) and every row
/// is an instrument.
/// </summary>
public sealed partial class MetricsTableTests
{
    private const string Page = "docs/operating.md";

    [Fact]
    public async Task Every_instrument_of_the_function_is_a_row_of_the_Metrics_table_and_every_row_an_instrument()
    {
        Dictionary<string, string> instruments;
        await using (var function = await FunctionApp.StartAsync())
        {
            instruments = Instruments(function);
        }

        var table = Table();

        var unlisted = instruments.Keys.Except(table.Keys).Order(StringComparer.Ordinal).ToList();
        var unmade = table.Keys.Except(instruments.Keys).Order(StringComparer.Ordinal).ToList();
        Assert.True(unlisted.Count == 0, $"Instruments with no row in {Page}'s Metrics table: {string.Join(", ", unlisted)}.");
        Assert.True(unmade.Count == 0, $"Rows of {Page}'s Metrics table that no instrument of the function makes: {string.Join(", ", unmade)}.");
        Assert.All(instruments, instrument => Assert.Equal(instrument.Value, table[instrument.Key]));
    }

    [Fact]
    public async Task The_names_the_table_is_checked_under_are_those_metrics_shows()
    {
        await using var function = await FunctionApp.StartAsync();
        var expected = Instruments(function);
        using (var image = new ByteArrayContent(TestImages.Read("chelsea.png")))
        {
            image.Headers.ContentType = new("image/png");
            using var classified = await function.Client.PostAsync(new Uri("/", UriKind.Relative), image);
            Assert.Equal(System.Net.HttpStatusCode.OK, classified.StatusCode);
        }

        using var response = await function.Client.GetAsync(new Uri("/metrics", UriKind.Relative));
        var shown = PrometheusText.Parse(await response.Content.ReadAsStringAsync()).Types
            .Where(type => type.Key.StartsWith("imageclassifier_", StringComparison.Ordinal))
            .ToList();

        Assert.Contains(shown, type => type.Value == "counter");
        Assert.Contains(shown, type => type.Value == "gauge");
        Assert.Contains(shown, type => type.Value == "histogram");
        Assert.All(shown, type => Assert.Equal(type.Value, expected.GetValueOrDefault(type.Key)));
    }

    [Theory]
    [InlineData("imageclassifier.requests", "{request}", typeof(Counter<long>), "imageclassifier_requests_total", "counter")]
    [InlineData("imageclassifier.fetch.downloaded", "By", typeof(Counter<long>), "imageclassifier_fetch_downloaded_bytes_total", "counter")]
    [InlineData("imageclassifier.stage.duration", "s", typeof(Histogram<double>), "imageclassifier_stage_duration_seconds", "histogram")]
    [InlineData("imageclassifier.requests.active", "{request}", typeof(UpDownCounter<long>), "imageclassifier_requests_active", "gauge")]
    [InlineData("imageclassifier.memory.budget", "By", typeof(ObservableGauge<long>), "imageclassifier_memory_budget_bytes", "gauge")]
    public void Instruments_are_named_and_typed_as_Prometheus_shows_them(string name, string unit, Type kind, string prometheus, string type) =>
        Assert.Equal((prometheus, type), Prometheus(name, unit, kind));

    /// <summary>
    /// The function's own instruments (its meter factory's, on meters named ImageClassifier…) as
    /// Prometheus names them, with their Prometheus type: those made once the function is ready,
    /// and those of every feature's metrics class, which is made on first use.
    /// </summary>
    private static Dictionary<string, string> Instruments(FunctionApp function)
    {
        var factory = function.Services.GetRequiredService<IMeterFactory>();
        var instruments = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Meter.Name.StartsWith("ImageClassifier", StringComparison.Ordinal))
                {
                    var (name, type) = Prometheus(instrument.Name, instrument.Unit, instrument.GetType());
                    instruments[name] = type;
                }
            },
        };
        listener.Start();

        foreach (var metrics in typeof(Program).Assembly.GetTypes().Where(type => type.Name.EndsWith("Metrics", StringComparison.Ordinal)
            && type.GetConstructors().Any(constructor => constructor.GetParameters().Any(parameter => parameter.ParameterType == typeof(IMeterFactory)))))
        {
            function.Services.GetService(metrics);
        }

        return new Dictionary<string, string>(instruments, StringComparer.Ordinal);
    }

    /// <summary>
    /// The name and type OpenTelemetry's Prometheus exporter gives an instrument: dots become
    /// underscores, the unit is appended (By as bytes, s as seconds; an annotation in braces is
    /// dropped), and a monotonic counter ends in _total; an up-down counter is a gauge.
    /// </summary>
    private static (string Name, string Type) Prometheus(string name, string? unit, Type kind)
    {
        var suffix = unit switch
        {
            "By" => "_bytes",
            "s" => "_seconds",
            null or "" => "",
            _ when unit.StartsWith('{') => "",
            _ => throw new ArgumentException($"{name}: a unit ('{unit}') this test does not know how Prometheus shows.", nameof(unit)),
        };
        var prometheus = name.Replace('.', '_') + (name.EndsWith(suffix, StringComparison.Ordinal) ? "" : suffix);
        var definition = kind.IsGenericType ? kind.GetGenericTypeDefinition() : kind;
        return definition switch
        {
            _ when definition == typeof(Counter<>) || definition == typeof(ObservableCounter<>) => (prometheus + "_total", "counter"),
            _ when definition == typeof(Histogram<>) => (prometheus, "histogram"),
            _ when definition == typeof(UpDownCounter<>) || definition == typeof(ObservableUpDownCounter<>)
                || definition == typeof(ObservableGauge<>) || definition == typeof(Gauge<>) => (prometheus, "gauge"),
            _ => throw new ArgumentException($"{name}: an instrument kind ({kind}) this test does not know.", nameof(kind)),
        };
    }

    /// <summary>The Metrics section's table: every name in a row's first column, with the row's type.</summary>
    private static Dictionary<string, string> Table()
    {
        var page = File.ReadAllText(Path.Combine(RepositoryRoot.Path, Page));
        var start = page.IndexOf("\n### Metrics\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"{Page} has no '### Metrics' section.");
        var end = page.IndexOf("\n#", start + 1, StringComparison.Ordinal);
        var rows = page[start..(end < 0 ? page.Length : end)].Split('\n')
            .Where(line => line.StartsWith("| `", StringComparison.Ordinal))
            .Select(line => line.Split('|'))
            .SelectMany(cells => MetricName().Matches(cells[1]).Select(match => (Name: match.Groups[1].Value, Type: cells[2].Trim())))
            .ToList();
        Assert.NotEmpty(rows);
        Assert.Equal(rows.Count, rows.Select(row => row.Name).Distinct(StringComparer.Ordinal).Count());
        return rows.ToDictionary(row => row.Name, row => row.Type, StringComparer.Ordinal);
    }

    [GeneratedRegex("`(imageclassifier_[a-z0-9_]+)`")]
    private static partial Regex MetricName();
}
