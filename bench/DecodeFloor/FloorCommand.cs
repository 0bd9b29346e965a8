using System.Diagnostics;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;

namespace ImageClassifier.DecodeFloor;

/// <summary>
/// The decode floor: on one thread, the chosen decoder alone at the scale it uses, of the part of
/// the image the function decodes (no resize, crop or normalisation) plus one inference of the model on one intra-op thread. Nothing a
/// function does per image can cost less, so cores / floor is what the machine could serve at
/// best. Besides the wall-clock medians, the process's CPU time a run (user + system, every
/// thread): on a shared machine the steadier figure.
/// </summary>
internal static class FloorCommand
{
    private static readonly int Cores = Environment.ProcessorCount;
    private const int Side = 224;

    public static int Run(IReadOnlyList<string> images, int runs, string model)
    {
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
        };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        using var session = new InferenceSession(model, options);
        var tensor = new float[3 * Side * Side];
        using var input = OrtValue.CreateTensorValueFromMemory(tensor, [1, 3, Side, Side]);
        using var runOptions = new RunOptions();
        OrtValue[] inputs = [input];

        var results = new List<object>();
        foreach (var path in images)
        {
            var bytes = File.ReadAllBytes(path);
            var decodeMs = new List<double>();
            var inferMs = new List<double>();
            var totalMs = new List<double>();
            var scale = 1f;
            var decoded = "";
            var cpu = TimeSpan.Zero;
            for (var run = -2; run < runs; run++)
            {
                if (run == 0)
                {
                    cpu = Environment.CpuUsage.TotalTime;
                }

                var start = Stopwatch.GetTimestamp();
                var (bitmap, used) = SkiaScaledDecode.DecodeCentre(bytes);
                var decode = Timings.Milliseconds(start);
                using (bitmap)
                {
                    (scale, decoded) = (used, $"{bitmap.Width}x{bitmap.Height}");
                }

                start = Stopwatch.GetTimestamp();
                using (session.Run(runOptions, session.InputNames, inputs, session.OutputNames))
                {
                    var infer = Timings.Milliseconds(start);
                    if (run >= 0)
                    {
                        decodeMs.Add(decode);
                        inferMs.Add(infer);
                        totalMs.Add(decode + infer);
                    }
                }
            }

            var cpuMs = Math.Round((Environment.CpuUsage.TotalTime - cpu).TotalMilliseconds / runs, 2);
            var floorMs = Timings.Percentile(totalMs, 50);
            var row = new
            {
                image = Path.GetFileName(path),
                scale = $"1/{Math.Round(1 / scale)}",
                decoded,
                decodeMs = Timings.Percentile(decodeMs, 50),
                decodeP90Ms = Timings.Percentile(decodeMs, 90),
                inferenceMs = Timings.Percentile(inferMs, 50),
                inferenceP90Ms = Timings.Percentile(inferMs, 90),
                floorMs,
                floorP90Ms = Timings.Percentile(totalMs, 90),
                floorPerSecond = Math.Round(Cores * 1000 / floorMs, 1),
                floorCpuMs = cpuMs,
            };
            Console.Error.WriteLine(
                $"{row.image,-24} Skia {row.scale,-4} -> {row.decoded,-10} decode {row.decodeMs,7:F2} ms (p90 {row.decodeP90Ms,7:F2})"
                + $"  + inference {row.inferenceMs,6:F2} ms (p90 {row.inferenceP90Ms,6:F2})"
                + $"  = floor {row.floorMs,7:F2} ms (p90 {row.floorP90Ms,7:F2}, CPU {row.floorCpuMs:F2}), {row.floorPerSecond} images/s on {Cores} cores");
            results.Add(row);
        }

        Console.WriteLine(JsonSerializer.Serialize(new { runs, images = results }));
        return 0;
    }
}
