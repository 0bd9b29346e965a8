using ImageClassifier.Delivery;
using ImageClassifier.Inference;
using ImageClassifier.Tests.Harness.Fakes;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ImageClassifier.Tests.Delivery;

public class ReplyBuilderTests
{
    private static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly ReplyBuilder builder = new(
        Options.Create(new FunctionOptions { CeSource = "https://example.com/classifier", CeType = "com.example.classified" }),
        new FakeTimeProvider(Now));

    [Fact]
    public void The_reply_has_the_configured_attributes_and_the_url_as_subject()
    {
        var reply = builder.Build(new ClassificationResult(new Uri("https://example.com/cat.jpg"), FakeClassifier.FakeModel, FakeClassifier.Cats));

        Assert.True(reply.IsValid);
        Assert.Equal(new Uri("https://example.com/classifier"), reply.Source);
        Assert.Equal("com.example.classified", reply.Type);
        Assert.Equal("https://example.com/cat.jpg", reply.Subject);
        Assert.Equal(Now, reply.Time);
        Assert.Equal("application/json", reply.DataContentType);
        var data = Assert.IsType<ReplyData>(reply.Data);
        Assert.Equal("https://example.com/cat.jpg", data.Url);
        Assert.Equal(new ReplyModel(FakeClassifier.FakeModel.Name, null, FakeClassifier.FakeModel.Sha256), data.Model);
        Assert.Equal(FakeClassifier.Cats.Select(p => p.Index), data.Predictions.Select(p => p.Index));
        Assert.Equal(0.548f, data.Predictions[0].Probability);
    }

    [Fact]
    public void A_registered_model_is_reported_with_its_version_and_a_bundled_one_without()
    {
        var registered = new ModelInfo("classifier", FakeClassifier.FakeModel.Sha256, "7");

        var withVersion = Assert.IsType<ReplyData>(builder.Build(new ClassificationResult(null, registered, FakeClassifier.Cats)).Data);
        var without = Assert.IsType<ReplyData>(builder.Build(new ClassificationResult(null, FakeClassifier.FakeModel, FakeClassifier.Cats)).Data);

        Assert.Equal(new ReplyModel("classifier", "7", registered.Sha256), withVersion.Model);
        Assert.Null(without.Model.Version);
    }

    [Fact]
    public void Every_reply_has_a_new_id()
    {
        var result = new ClassificationResult(null, FakeClassifier.FakeModel, FakeClassifier.Cats);

        Assert.NotEqual(builder.Build(result).Id, builder.Build(result).Id);
    }

    [Fact]
    public void A_reply_to_image_bytes_has_no_subject_and_no_url()
    {
        var reply = builder.Build(new ClassificationResult(null, FakeClassifier.FakeModel, FakeClassifier.Cats));

        Assert.Null(reply.Subject);
        Assert.Null(Assert.IsType<ReplyData>(reply.Data).Url);
    }
}
