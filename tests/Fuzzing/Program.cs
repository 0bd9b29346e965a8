using ImageClassifier.Fuzzing;
using SharpFuzz;

// fuzz.sh runs "seeds" once, then each target under afl-fuzz, which feeds inputs on stdin.
// Instrumented code may run only inside Fuzzer.Run, once it has mapped the coverage memory,
// so each target is made on the first input.
switch (args)
{
    case ["events"]:
        EventReadingTarget? reading = null;
        Fuzzer.Run(stream =>
        {
            reading ??= new EventReadingTarget();
            reading.RunAsync(FuzzInput.Parse(ReadAll(stream)), CancellationToken.None).GetAwaiter().GetResult();
        });
        return 0;
    case ["images"]:
        ImageDecodingTarget? decoding = null;
        Fuzzer.Run(stream =>
        {
            decoding ??= new ImageDecodingTarget();
            decoding.RunAsync(ReadAll(stream), CancellationToken.None).GetAwaiter().GetResult();
        });
        return 0;
    case ["seeds", var testImages, var eventSeeds, var imageSeeds]:
        Seeds.Write(testImages, eventSeeds, imageSeeds);
        return 0;
    default:
        await Console.Error.WriteLineAsync("usage: ImageClassifier.Fuzzing events | images | seeds <test-images> <event-seeds> <image-seeds>");
        return 2;
}

static byte[] ReadAll(Stream stream)
{
    using var copy = new MemoryStream();
    stream.CopyTo(copy);
    return copy.ToArray();
}
