using System.Reflection;
using System.Text.RegularExpressions;
using ImageClassifier.Failures;

namespace ImageClassifier.Tests.Failures;

/// <summary>The failure catalogue: one entry per case, and the README's status table saying the same, both ways.</summary>
public sealed partial class ProblemCatalogueTests
{
    [Fact]
    public void Every_entry_is_listed_in_All_once_with_its_own_slug()
    {
        var declared = typeof(Problems).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(field => field.FieldType == typeof(ProblemType))
            .Select(field => (ProblemType)field.GetValue(null)!)
            .ToList();

        Assert.Equal(declared.Count, Problems.All.Count);
        Assert.Equal(declared.ToHashSet(), Problems.All.ToHashSet());
        Assert.Equal(Problems.All.Count, Problems.All.Select(type => type.Slug).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Every_503_carries_Retry_After_and_nothing_else_does()
    {
        Assert.All(Problems.All, type => Assert.Equal(type.Status == 503, type.CarriesRetryAfter));
    }

    [Theory]
    [InlineData("not-ready", "close")]
    [InlineData("shutting-down", "close")]
    [InlineData("payload-too-large", "close")]
    [InlineData("request-timeout", "close")]
    [InlineData("overloaded", null)]
    [InlineData("memory-busy", null)]
    [InlineData("invalid-request", null)]
    public void An_instance_going_away_or_a_body_refused_unread_closes_the_connection_and_an_overload_keeps_it(string slug, string? connection)
    {
        var response = new Microsoft.AspNetCore.Http.DefaultHttpContext().Response;

        Problems.All.Single(type => type.Slug == slug).WriteHeaders(response);

        Assert.Equal(connection, response.Headers.Connection.SingleOrDefault());
    }

    [Fact]
    public void The_READMEs_status_table_lists_every_entry_and_nothing_else()
    {
        var rows = ReadmeRows();

        Assert.Equal(
            Problems.All.Select(type => type.Slug).Order(StringComparer.Ordinal),
            rows.Select(row => row.Slug).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_READMEs_status_table_gives_each_entry_its_status_title_retry_and_Retry_After()
    {
        foreach (var row in ReadmeRows())
        {
            var type = Problems.All.Single(entry => entry.Slug == row.Slug);
            Assert.Equal((type.Slug, type.Status, type.Title, type.RetriedByKnative, type.CarriesRetryAfter), (row.Slug, row.Status, row.Title, row.Retried, row.RetryAfter));
        }
    }

    [Theory]
    [InlineData(400, false)]
    [InlineData(404, true)]
    [InlineData(408, true)]
    [InlineData(409, true)]
    [InlineData(413, false)]
    [InlineData(415, false)]
    [InlineData(422, false)]
    [InlineData(429, true)]
    [InlineData(500, true)]
    [InlineData(503, true)]
    public void Knative_retries_what_its_delivery_spec_says(int status, bool retried)
    {
        Assert.Equal(retried, new ProblemType("any", status, "Any").RetriedByKnative);
    }

    private static List<Row> ReadmeRows()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "README.md"));
        var section = readme[readme.IndexOf("## Status codes", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 3, StringComparison.Ordinal)];
        var rows = TableRow().Matches(section).Select(match => new Row(
            match.Groups["slug"].Value,
            int.Parse(match.Groups["status"].Value, System.Globalization.CultureInfo.InvariantCulture),
            match.Groups["title"].Value.Trim(),
            match.Groups["retried"].Value == "yes",
            match.Groups["retryAfter"].Value == "yes")).ToList();
        Assert.NotEmpty(rows);
        return rows;
    }

    private sealed record Row(string Slug, int Status, string Title, bool Retried, bool RetryAfter);

    [GeneratedRegex(@"^\| `(?<slug>[a-z0-9-]+)` \| (?<status>\d{3}) \| (?<title>[^|]+) \| [^|]+ \| (?<retried>yes|no) \| (?<retryAfter>yes|no) \|$", RegexOptions.Multiline)]
    private static partial Regex TableRow();
}
