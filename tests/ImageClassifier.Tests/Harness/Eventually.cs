namespace ImageClassifier.Tests.Harness;

/// <summary>Waits on a condition, never on a time: polls until it holds, and fails after a generous limit.</summary>
public static class Eventually
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    public static Task WaitAsync(Func<bool> condition, string failure) => WaitAsync(() => Task.FromResult(condition()), failure);

    public static async Task WaitAsync(Func<Task<bool>> condition, string failure)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"After {Limit.TotalSeconds} s: {failure}");
            await Task.Delay(20);
        }
    }
}
