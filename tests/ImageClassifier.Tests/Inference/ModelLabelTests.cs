using ImageClassifier.Inference;

namespace ImageClassifier.Tests.Inference;

public class ModelLabelTests
{
    [Theory]
    [InlineData("n02124075 Egyptian cat", "n02124075", "Egyptian cat")]
    [InlineData("n02123045 tabby, tabby cat", "n02123045", "tabby")]
    [InlineData("n01440764 tench, Tinca tinca\r", "n01440764", "tench")]
    [InlineData("espresso", "", "espresso")]
    [InlineData("not-a-synset label", "", "not-a-synset label")]
    public void Reads_the_synset_id_and_the_first_name(string line, string synset, string name)
    {
        var label = ModelLabel.Parse(line);

        Assert.Equal(synset, label.Synset);
        Assert.Equal(name, label.Name);
    }
}
