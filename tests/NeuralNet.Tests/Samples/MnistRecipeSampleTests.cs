namespace NeuralNet.Tests.Samples;

using MnistRecipeSample;

/// <summary>samples/MnistRecipe on a slice of MNIST: the checkpoint-and-resume run is the uninterrupted run, bit for bit.</summary>
public class MnistRecipeSampleTests
{
    [Fact]
    public void TheResumedRunEqualsTheUninterruptedOneAndLearns()
    {
        string data = RepositoryData.Directory("mnist");
        RecipeResult resumed = RecipeRun.Run(data, epochs: 2, trainingImages: 3000, resume: true, TextWriter.Null);
        RecipeResult straight = RecipeRun.Run(data, epochs: 2, trainingImages: 3000, resume: false, TextWriter.Null);

        resumed.Weights.Should().HaveCount(straight.Weights.Length);
        for (int i = 0; i < straight.Weights.Length; i++)
        {
            resumed.Weights[i].Should().Equal(straight.Weights[i], $"tensor {i} after resuming must equal the uninterrupted run's");
        }

        resumed.TestAccuracy.Should().Be(straight.TestAccuracy);
        resumed.TestAccuracy.Should().BeGreaterThan(0.90, "two epochs on 3,000 images already classify most test digits");
        resumed.OnnxDisagreements.Should().Be(0, "ONNX Runtime runs the exported model to the same predictions on all 10,000 test images");
    }
}
