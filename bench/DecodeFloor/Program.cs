using ImageClassifier.DecodeFloor;

// DecodeFloor [--runs N] [--model PATH] IMAGE...            the floor: Skia scaled decode + one inference
// DecodeFloor --candidates [--runs N] [--rounds R] IMAGE... time and peak memory of each decoder candidate
// DecodeFloor --child CANDIDATE [--runs N] IMAGE            one candidate on one image (a fresh process each)
var runs = 30;
var rounds = 3;
var model = Path.Combine(Environment.GetEnvironmentVariable("MODEL_SOURCE_DIR") ?? "../shared/models", "mobilenetv2-12-int8.onnx");
string? mode = null;
string? child = null;
var images = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--runs": runs = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
        case "--rounds": rounds = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
        case "--model": model = args[++i]; break;
        case "--candidates": mode = "candidates"; break;
        case "--child": mode = "child"; child = args[++i]; break;
        default: images.Add(args[i]); break;
    }
}

if (images.Count == 0 || runs < 1 || rounds < 1)
{
    await Console.Error.WriteLineAsync("usage: DecodeFloor [--candidates [--rounds R] | --child CANDIDATE] [--runs N] [--model PATH] IMAGE...");
    return 2;
}

return mode switch
{
    "candidates" => await CandidatesCommand.RunAsync(images, runs, rounds),
    "child" => CandidatesCommand.RunChild(child!, images[0], runs),
    _ => FloorCommand.Run(images, runs, model),
};
