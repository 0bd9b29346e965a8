using ImageClassifier.Tests.Harness;

namespace ImageClassifier.Tests.Integration;

/// <summary>The real models on the sample images, every run: what ImageNet classifiers should say.</summary>
public class AccuracyTests
{
    public sealed class ShuffleNet() : FunctionApp(new Dictionary<string, string?>
    {
        ["MODEL_PATH"] = SharedModels.ShuffleNet,
        ["LABELS_PATH"] = SharedModels.Labels,
    });

    public class OnMobileNet(DefaultFunction model) : IClassFixture<DefaultFunction>
    {
        [Fact]
        public async Task Chelsea_is_a_cat() =>
            Assert.Contains((await TopLabels(model.Client, "chelsea.png"))[0], new[] { "Egyptian cat", "tiger cat", "tabby" });

        [Fact]
        public async Task Coffee_is_espresso() =>
            Assert.Equal("espresso", (await TopLabels(model.Client, "coffee.png"))[0]);

        [Fact]
        public async Task Rocket_has_missile_and_projectile_in_the_top_3()
        {
            var top3 = (await TopLabels(model.Client, "rocket.jpg"))[..3];

            Assert.Contains("missile", top3);
            Assert.Contains("projectile", top3);
        }

        [Fact]
        public async Task Replies_name_the_pinned_model()
        {
            using var response = await model.Client.PostAsync(new Uri("/", UriKind.Relative), Replies.ImageContent("coffee.png"));
            var data = Replies.DataOf(await Replies.ReadEventAsync(response));

            Assert.Equal("mobilenetv2-12-int8", data.GetProperty("model").GetProperty("name").GetString());
            Assert.Equal("cc028fe6cae7bc11a4ff53cfc9b79c920e8be65ce33a904ec3e2a8f66d77f95f", data.GetProperty("model").GetProperty("sha256").GetString());
        }
    }

    public class OnShuffleNet(ShuffleNet model) : IClassFixture<ShuffleNet>
    {
        [Fact]
        public async Task Chelsea_is_an_Egyptian_cat() =>
            Assert.Equal("Egyptian cat", (await TopLabels(model.Client, "chelsea.png"))[0]);

        [Fact]
        public async Task Coffee_is_espresso() =>
            Assert.Equal("espresso", (await TopLabels(model.Client, "coffee.png"))[0]);

        [Fact]
        public async Task Replies_name_the_model_that_MODEL_PATH_gave()
        {
            using var response = await model.Client.PostAsync(new Uri("/", UriKind.Relative), Replies.ImageContent("coffee.png"));
            var data = Replies.DataOf(await Replies.ReadEventAsync(response));

            Assert.Equal("shufflenet-v2-12-int8", data.GetProperty("model").GetProperty("name").GetString());
            Assert.Equal("bf5eefde67941aa7eaa7787316c9c52c4b04e07fc9587a6ea7028883be9a8d4e", data.GetProperty("model").GetProperty("sha256").GetString());
        }
    }

    private static async Task<string[]> TopLabels(HttpClient client, string image)
    {
        using var response = await client.PostAsync(new Uri("/", UriKind.Relative), Replies.ImageContent(image));
        return Replies.Labels(Replies.DataOf(await Replies.ReadEventAsync(response)));
    }
}
