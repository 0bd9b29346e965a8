using System.Net;
using System.Net.Http.Headers;
using ImageClassifier.Memory;
using ImageClassifier.Tests.Harness;
using Microsoft.Extensions.DependencyInjection;

namespace ImageClassifier.Tests.Memory;

/// <summary>
/// Every request gives back what it was paid for: in turn, a small budget serves many times its
/// size in image bodies, and nothing is reserved once they are answered. (A raw-image body that
/// was never given back drained the budget after a few thousand requests; the fuzzer found it.)
/// </summary>
public sealed class BudgetReturnTests
{
    /// <summary>Room for one decode of the 600x400 test image and its body, not for forty bodies.</summary>
    private const int BudgetBytes = 4 * 1024 * 1024;

    private const int Requests = 40;

    [Fact]
    public async Task Raw_image_requests_in_turn_are_all_answered_and_leave_nothing_reserved()
    {
        var image = TestImages.Read("coffee.png");
        Assert.True((long)image.Length * Requests > BudgetBytes, "the requests together must be larger than the budget");
        await using var app = new FunctionApp(new Dictionary<string, string?> { ["MEMORY_BUDGET_BYTES"] = BudgetBytes.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        using var client = await app.CreateReadyClientAsync();

        for (var request = 0; request < Requests; request++)
        {
            using var content = new ByteArrayContent(image);
            content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            using var response = await client.PostAsync("/", content);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"request {request}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        Assert.Equal(0, app.Services.GetRequiredService<MemoryBudget>().Reserved);
    }
}
