namespace ImageClassifier.Tests;

/// <summary>
/// The official models beside the repository (../shared/models), as MODEL_SOURCE_DIR names
/// them for the build; the tests use the second model, ShuffleNet, from there.
/// </summary>
public static class SharedModels
{
    public static string Directory { get; } = Locate();

    public static string ShuffleNet => Path.Combine(Directory, "shufflenet-v2-12-int8.onnx");

    public static string MobileNet => Path.Combine(Directory, "mobilenetv2-12-int8.onnx");

    public static string Labels => Path.Combine(Directory, "synset.txt");

    /// <summary>A sample photo beside a community model (../shared/models/community/MODEL/FILE), read where it is, never copied.</summary>
    public static string CommunityFile(string model, string file) => Path.Combine(Directory, "community", model, file);

    private static string Locate()
    {
        var root = RepositoryRoot.Path;
        var configured = Environment.GetEnvironmentVariable("MODEL_SOURCE_DIR");
        var directory = string.IsNullOrEmpty(configured)
            ? System.IO.Path.Combine(root, "..", "shared", "models")
            : System.IO.Path.Combine(root, configured);
        return System.IO.Path.GetFullPath(directory);
    }
}
