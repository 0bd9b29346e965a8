namespace ImageClassifier.Tests;

/// <summary>The sample images copied from ../shared/images (see TestImages/README.md for licences).</summary>
public static class TestImages
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "TestImages", name);

    public static byte[] Read(string name) => File.ReadAllBytes(PathOf(name));
}
