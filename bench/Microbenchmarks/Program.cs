using BenchmarkDotNet.Running;

namespace ImageClassifier.Microbenchmarks;

/// <summary>dotnet run -c Release --project bench/Microbenchmarks -- --filter '*' --job short</summary>
internal static class EntryPoint
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(EntryPoint).Assembly).Run(args);
}
