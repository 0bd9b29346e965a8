using System.Net;

namespace ImageClassifier.Tests.Harness;

/// <summary>The one way tests wait for a function to be ready: poll /readyz until it answers 200.</summary>
public static class Readiness
{
    /// <summary>Loading and warming the model takes a few seconds; a minute means something is wrong.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Polls <paramref name="readyz"/> until it answers 200. A refused connection counts as not
    /// listening yet; <paramref name="whyNot"/>, when given, is asked between polls and fails the
    /// wait with its answer (a process that has exited, say).
    /// </summary>
    public static async Task WaitAsync(HttpClient client, Uri readyz, Func<string?>? whyNot = null)
    {
        using var timeout = new CancellationTokenSource(Limit);
        while (true)
        {
            if (whyNot?.Invoke() is { } reason)
            {
                Assert.Fail(reason);
            }

            try
            {
                using var ready = await client.GetAsync(readyz, timeout.Token);
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(50, timeout.Token);
        }
    }
}
