using System.Diagnostics;

namespace ImageClassifier.Tests.Harness;

/// <summary>Starts tools (dotnet, bash) the way a person would, outside the test host's build context.</summary>
public static class ChildProcess
{
    public static ProcessStartInfo StartInfo(string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };

        // The test host's own MSBuild and vstest variables would steer a child build wrongly.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)
            || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToArray())
        {
            start.Environment.Remove(key);
        }

        return start;
    }

    /// <summary>Runs to the end and returns the exit code with stdout and stderr together.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string fileName, params string[] arguments)
    {
        using var process = Process.Start(StartInfo(fileName, arguments))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
