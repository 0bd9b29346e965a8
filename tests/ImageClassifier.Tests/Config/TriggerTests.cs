namespace ImageClassifier.Tests.Config;

/// <summary>config/trigger.yaml: it sends request events to the Service and can never match the function's replies.</summary>
public class TriggerTests
{
    private readonly YamlDotNet.RepresentationModel.YamlMappingNode _trigger = Yaml.Load(Manifests.Trigger);

    [Fact]
    public void Is_a_Knative_Eventing_Trigger_on_a_broker()
    {
        Assert.Equal("eventing.knative.dev/v1", _trigger.Text("apiVersion"));
        Assert.Equal("Trigger", _trigger.Text("kind"));
        Assert.False(string.IsNullOrEmpty(_trigger.Text("spec.broker")));
    }

    [Fact]
    public void Its_subscriber_is_the_Knative_Service()
    {
        var service = Yaml.Load(Manifests.Service);

        Assert.Equal(service.Text("apiVersion"), _trigger.Text("spec.subscriber.ref.apiVersion"));
        Assert.Equal(service.Text("kind"), _trigger.Text("spec.subscriber.ref.kind"));
        Assert.Equal(service.Text("metadata.name"), _trigger.Text("spec.subscriber.ref.name"));
    }

    [Theory]
    [MemberData(nameof(Manifests.Running), MemberType = typeof(Manifests))]
    public void Its_filter_type_differs_from_the_reply_type(string manifest)
    {
        var requestType = _trigger.Text("spec.filter.attributes.type");

        Assert.NotEqual(Manifests.EnvOf(manifest)["CE_TYPE"], requestType);
        Assert.NotEqual(FunctionOptions.DefaultReplyType, requestType);
    }
}
