using System.Globalization;
using System.Net;
using ImageClassifier.Tests.Harness;

namespace ImageClassifier.Tests.Config;

/// <summary>config/service.yaml against the code: port, probes, concurrency and resources.</summary>
public class KnativeServiceTests(RunningFunction function) : IClassFixture<RunningFunction>
{
    private readonly YamlDotNet.RepresentationModel.YamlMappingNode _service = Yaml.Load(Manifests.Service);

    private YamlDotNet.RepresentationModel.YamlNode Container => Manifests.ServiceContainer(_service);

    [Fact]
    public void Is_a_Knative_Serving_Service()
    {
        Assert.Equal("serving.knative.dev/v1", _service.Text("apiVersion"));
        Assert.Equal("Service", _service.Text("kind"));
    }

    [Fact]
    public void The_container_port_is_the_port_the_function_listens_on_without_PORT()
    {
        var port = Assert.Single(Container.Items("ports"));

        Assert.Equal(function.DefaultListenPort(), int.Parse(port.Text("containerPort"), CultureInfo.InvariantCulture));

        // Knative reserves PORT and sets it from containerPort.
        Assert.DoesNotContain("PORT", Container.Env("env").Keys);
    }

    [Fact]
    public async Task The_probes_are_health_endpoints_the_app_maps()
    {
        var readiness = Container.Text("readinessProbe.httpGet.path");
        var liveness = Container.Text("livenessProbe.httpGet.path");
        var mapped = function.HealthCheckPaths();

        Assert.NotEqual(readiness, liveness);
        Assert.Contains(readiness, mapped);
        Assert.Contains(liveness, mapped);
        using var ready = await function.Client.GetAsync(new Uri(readiness, UriKind.Relative));
        using var live = await function.Client.GetAsync(new Uri(liveness, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public void Container_concurrency_is_the_admission_limit_and_autoscaling_targets_below_it()
    {
        var concurrency = int.Parse(_service.Text("spec.template.spec.containerConcurrency"), CultureInfo.InvariantCulture);
        var annotations = _service.Scalars("spec.template.metadata.annotations");

        Assert.Equal(Settings.AdmissionLimit, concurrency);
        Assert.Equal(concurrency.ToString(CultureInfo.InvariantCulture), Manifests.EnvOf(Manifests.Service)["MAX_CONCURRENT_REQUESTS"]);
        Assert.Equal("concurrency", annotations["autoscaling.knative.dev/metric"]);
        Assert.InRange(int.Parse(annotations["autoscaling.knative.dev/target"], CultureInfo.InvariantCulture), 1, concurrency);
        Assert.InRange(int.Parse(annotations["autoscaling.knative.dev/target-utilization-percentage"], CultureInfo.InvariantCulture), 1, 100);
        Assert.InRange(
            int.Parse(annotations["autoscaling.knative.dev/min-scale"], CultureInfo.InvariantCulture),
            0,
            int.Parse(annotations["autoscaling.knative.dev/max-scale"], CultureInfo.InvariantCulture));
    }

    [Fact]
    public void The_memory_request_is_within_the_limit()
    {
        Assert.InRange(
            Mebibytes(Container.Text("resources.requests.memory")),
            64,
            Mebibytes(Container.Text("resources.limits.memory")));
    }

    [Fact]
    public async Task Its_env_values_pass_the_functions_validation_at_start_up()
    {
        // Values from Secrets are not at hand here; the function must start without them.
        var settings = Container.Env("env").Where(pair => pair.Value is not null).ToDictionary(StringComparer.Ordinal);
        await using var app = new FunctionApp(settings);

        using var client = await app.CreateReadyClientAsync();
        using var response = await client.PostAsync(new Uri("/", UriKind.Relative), Replies.ImageContent("coffee.png"));

        Assert.Equal(settings["CE_TYPE"], (await Replies.ReadEventAsync(response)).Type);
    }

    private static int Mebibytes(string quantity) =>
        quantity.EndsWith("Mi", StringComparison.Ordinal) ? int.Parse(quantity[..^2], CultureInfo.InvariantCulture)
        : quantity.EndsWith("Gi", StringComparison.Ordinal) ? 1024 * int.Parse(quantity[..^2], CultureInfo.InvariantCulture)
        : throw new Xunit.Sdk.XunitException($"Memory '{quantity}' is not in Mi or Gi.");
}
