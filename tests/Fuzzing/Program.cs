using System.Globalization;
using ImageClassifier.Fuzzing;
using ImageClassifier.Memory;
using SharpFuzz;

// fuzz.sh runs "seeds" once, then each target under afl-fuzz, which feeds inputs on stdin, then
// "replay" on what it found. Instrumented code may run only inside Fuzzer.Run, once it has mapped
// the coverage memory, so each target is made on the first input.
switch (args)
{
    case ["events", .. var report]:
        Fuzz(() => new EventReadingTarget(), RunEvent, target => target.Budget, report);
        return 0;
    case ["images", .. var report]:
        Fuzz(() => new ImageDecodingTarget(), RunImage, target => target.Budget, report);
        return 0;
    case ["replay", "events", .. var files]:
        return Replay(() => new EventReadingTarget(), RunEvent, target => target.Budget, files);
    case ["replay", "images", .. var files]:
        return Replay(() => new ImageDecodingTarget(), RunImage, target => target.Budget, files);
    case ["seeds", var testImages, var eventSeeds, var imageSeeds]:
        Seeds.Write(testImages, eventSeeds, imageSeeds);
        return 0;
    default:
        await Console.Error.WriteLineAsync(
            "usage: ImageClassifier.Fuzzing events|images [report-dir] | replay events|images <file>... | seeds <test-images> <event-seeds> <image-seeds>");
        return 2;
}

static string RunEvent(EventReadingTarget target, byte[] input) =>
    target.RunAsync(FuzzInput.Parse(input), CancellationToken.None).GetAwaiter().GetResult();

static string RunImage(ImageDecodingTarget target, byte[] input) =>
    target.RunAsync(input, CancellationToken.None).GetAwaiter().GetResult();

// Each input runs under the memory oracle; the first is run once before, unmeasured, so that
// starting the target (compiling its code, opening the budget, the worker threads) is not counted.
// With a report directory, the input running now is kept there (a native crash ends the fork
// server, and AFL saves nothing), and so is the one that came closest to the oracle's limit.
static void Fuzz<T>(Func<T> make, Func<T, byte[], string> run, Func<T, MemoryBudget> budget, string[] report)
    where T : class
{
    var directory = report.FirstOrDefault();
    if (directory is not null)
    {
        Directory.CreateDirectory(directory);
    }

    T? target = null;
    MemoryOracle? oracle = null;
    var closest = 0.0;
    Fuzzer.Run(stream =>
    {
        var input = ReadAll(stream);
        if (directory is not null)
        {
            File.WriteAllBytes(Path.Combine(directory, "current.input"), input);
        }

        if (target is null)
        {
            target = make();
            run(target, input);
            oracle = new MemoryOracle(budget(target));
        }

        var use = oracle!.Measure(() => run(target, input));
        if (directory is not null && use.ShareOfAllowed > closest)
        {
            closest = use.ShareOfAllowed;
            File.WriteAllBytes(Path.Combine(directory, "oracle-closest.input"), input);
            File.WriteAllText(Path.Combine(directory, "oracle-closest.txt"),
                $"{use.ShareOfAllowed.ToString("P0", CultureInfo.InvariantCulture)} of the allowed growth, {input.Length}-byte input; {use}\n");
        }

        if (use.Exceeds)
        {
            throw new InvalidOperationException($"Memory oracle: {use}");
        }
    });
}

// Outside AFL: each file runs twice, the first time to warm the target up, and prints its outcome
// and memory use, or what it threw. Exits 1 if any file threw or failed the oracle.
static int Replay<T>(Func<T> make, Func<T, byte[], string> run, Func<T, MemoryBudget> budget, string[] files)
{
    var status = 0;
    Fuzzer.Run(_ => status = ReplayAll(make(), run, budget, files));
    return status;
}

static int ReplayAll<T>(T target, Func<T, byte[], string> run, Func<T, MemoryBudget> budget, string[] files)
{
    var oracle = new MemoryOracle(budget(target));
    var status = 0;
    foreach (var file in files)
    {
        var input = File.ReadAllBytes(file);
        try
        {
            run(target, input);
            var use = oracle.Measure(() => run(target, input));
            Console.WriteLine($"{file}: {(use.Exceeds ? "MEMORY ORACLE FAILURE, " : "")}{use}");
            status |= use.Exceeds ? 1 : 0;
        }
        catch (Exception exception)
        {
            Console.WriteLine($"{file}: threw {exception.GetType().Name}: {exception.Message}");
            status = 1;
        }
    }

    return status;
}

static byte[] ReadAll(Stream stream)
{
    using var copy = new MemoryStream();
    stream.CopyTo(copy);
    return copy.ToArray();
}
