namespace ImageClassifier.Tests.Config;

/// <summary>Every manifest that runs the function sets every setting the code binds, and nothing it does not know.</summary>
public class EnvTests
{
    [Theory]
    [MemberData(nameof(Manifests.Running), MemberType = typeof(Manifests))]
    public void Sets_every_variable_the_options_bind(string manifest)
    {
        var env = Manifests.EnvOf(manifest);

        Assert.Empty(Settings.BoundNames.Except(Settings.UnsetInManifests).Except(env.Keys).Order(StringComparer.Ordinal));
        Assert.Empty(Settings.UnsetInManifests.Intersect(env.Keys));
    }

    [Theory]
    [MemberData(nameof(Manifests.Running), MemberType = typeof(Manifests))]
    public void Names_only_variables_the_code_binds_or_the_README_documents(string manifest)
    {
        var known = Settings.BoundNames.Union(Settings.DocumentedNames);

        Assert.Empty(Manifests.EnvOf(manifest).Keys.Except(known).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_README_documents_every_variable_the_options_bind() =>
        Assert.Empty(Settings.BoundNames.Except(Settings.DocumentedNames).Order(StringComparer.Ordinal));

    [Fact]
    public void Finds_the_options_of_every_folder()
    {
        Assert.Contains("TOP_K", Settings.BoundNames);
        Assert.Contains("FETCH_TIMEOUT_SECONDS", Settings.BoundNames);
        Assert.Contains("MAX_IMAGE_PIXELS", Settings.BoundNames);
        Assert.Contains("MODEL_PATH", Settings.BoundNames);
        Assert.Contains("MAX_REQUEST_BYTES", Settings.BoundNames);
    }

    [Fact]
    public void The_service_the_workload_and_func_yaml_set_the_same_values()
    {
        var service = Manifests.EnvOf(Manifests.Service);

        Assert.Equal(service.OrderBy(p => p.Key, StringComparer.Ordinal), Manifests.EnvOf(Manifests.Workload).OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(service.OrderBy(p => p.Key, StringComparer.Ordinal), Manifests.EnvOf(Manifests.Func).OrderBy(p => p.Key, StringComparer.Ordinal));
    }
}
