using System.Diagnostics;
using System.Text.Json;
using SkiaSharp;

namespace ImageClassifier.DecodeFloor;

/// <summary>
/// Time and peak memory of each candidate on each image. Each pair runs in a fresh child
/// process, so that native memory counts and no candidate inherits another's pools: the child
/// warms the candidate on a small JPEG, resets the kernel's peak RSS (VmHWM, through
/// /proc/self/clear_refs), decodes the image once and reads the peak's growth, then times runs:
/// wall-clock median and p90, and the process's CPU time a run (every thread, libvips' included).
/// </summary>
internal static class CandidatesCommand
{
    /// <summary>
    /// Every image and candidate in turn, <paramref name="rounds"/> times over, so that a busy spell
    /// on a shared machine falls on all candidates alike; per pair, the median of the rounds' medians.
    /// </summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> images, int runs, int rounds)
    {
        var self = Environment.ProcessPath!;
        var prefix = Path.GetFileNameWithoutExtension(self) == "dotnet" ? new[] { typeof(CandidatesCommand).Assembly.Location } : [];
        var rows = new List<JsonElement>();
        foreach (var (image, candidate) in Enumerable.Range(0, rounds).SelectMany(_ => images.SelectMany(i => Candidates.Names.Select(c => (i, c)))))
        {
            var start = new ProcessStartInfo(self) { RedirectStandardOutput = true };
            foreach (var arg in prefix.Concat(["--child", candidate, "--runs", runs.ToString(System.Globalization.CultureInfo.InvariantCulture), image]))
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                await Console.Error.WriteLineAsync($"{candidate} on {image} failed ({process.ExitCode})");
                continue;
            }

            var row = JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement.Clone();
            await Console.Error.WriteLineAsync(
                $"{Path.GetFileName(image),-24} {candidate,-10} {row.GetProperty("medianMs").GetDouble(),8:F2} ms (p90 {row.GetProperty("p90Ms").GetDouble(),8:F2}, CPU {row.GetProperty("cpuMs").GetDouble(),8:F2})"
                + $"  peak +{row.GetProperty("peakMb").GetDouble(),6:F1} MB  -> {row.GetProperty("output").GetString()}");
            rows.Add(row);
        }

        var pairs = rows.GroupBy(r => (Image: r.GetProperty("image").GetString(), Candidate: r.GetProperty("candidate").GetString()))
            .Select(g => new
            {
                image = g.Key.Image,
                candidate = g.Key.Candidate,
                output = g.First().GetProperty("output").GetString(),
                medianMs = Timings.Percentile(g.Select(r => r.GetProperty("medianMs").GetDouble()), 50),
                p90Ms = Timings.Percentile(g.Select(r => r.GetProperty("p90Ms").GetDouble()), 50),
                cpuMs = Timings.Percentile(g.Select(r => r.GetProperty("cpuMs").GetDouble()), 50),
                peakMb = Timings.Percentile(g.Select(r => r.GetProperty("peakMb").GetDouble()), 50),
                rounds = g.Count(),
            })
            .ToList();
        await Console.Error.WriteLineAsync($"median of {rounds} rounds of {runs} runs each:");
        foreach (var pair in pairs)
        {
            await Console.Error.WriteLineAsync($"{pair.image,-24} {pair.candidate,-10} {pair.medianMs,8:F2} ms (p90 {pair.p90Ms,8:F2}, CPU {pair.cpuMs,8:F2})  peak +{pair.peakMb,6:F1} MB");
        }

        Console.WriteLine(JsonSerializer.Serialize(new { runs, rounds, candidates = pairs }));
        return 0;
    }

    public static int RunChild(string candidate, string image, int runs)
    {
        var decode = Candidates.For(candidate);
        var bytes = File.ReadAllBytes(image);
        decode(SmallJpeg());
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();

        // 5: reset the peak RSS to the current RSS.
        File.WriteAllText("/proc/self/clear_refs", "5");
        var before = StatusKb("VmHWM");
        var output = decode(bytes);
        var peakKb = StatusKb("VmHWM") - before;

        var times = new List<double>();
        var cpu = Environment.CpuUsage.TotalTime;
        for (var run = 0; run < runs; run++)
        {
            var start = Stopwatch.GetTimestamp();
            decode(bytes);
            times.Add(Timings.Milliseconds(start));
        }

        var cpuMs = (Environment.CpuUsage.TotalTime - cpu).TotalMilliseconds / runs;

        Console.WriteLine(JsonSerializer.Serialize(new
        {
            candidate,
            image = Path.GetFileName(image),
            output,
            medianMs = Timings.Percentile(times, 50),
            p90Ms = Timings.Percentile(times, 90),
            cpuMs = Math.Round(cpuMs, 2),
            peakMb = Math.Round(peakKb / 1024.0, 1),
        }));
        return 0;
    }

    /// <summary>A 320x240 JPEG made in memory, to load and warm a candidate before its peak is read.</summary>
    private static byte[] SmallJpeg()
    {
        using var bitmap = new SKBitmap(320, 240);
        bitmap.Erase(new SKColor(120, 160, 200));
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, 90);
        return data.ToArray();
    }

    private static long StatusKb(string key)
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(key + ":", StringComparison.Ordinal));
        return long.Parse(line[(key.Length + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }
}
