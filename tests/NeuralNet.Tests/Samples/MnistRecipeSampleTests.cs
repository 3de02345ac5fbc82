namespace NeuralNet.Tests.Samples;

using MnistRecipeSample;
using NeuralNet.Samples.Support;

/// <summary>samples/MnistRecipe on a slice of MNIST: the checkpoint-and-resume run is the uninterrupted run, bit for bit,
/// and both of its segments show their epochs.</summary>
public class MnistRecipeSampleTests
{
    [Fact]
    public void TheResumedRunEqualsTheUninterruptedOneAndLearns()
    {
        string data = RepositoryData.Directory("mnist");
        var progress = new StringWriter();
        RecipeResult resumed = RecipeRun.Run(data, epochs: 2, trainingImages: 3000, resume: true, TextWriter.Null, new PlainTextDisplay(progress));
        RecipeResult straight = RecipeRun.Run(data, epochs: 2, trainingImages: 3000, resume: false, TextWriter.Null, new PlainTextDisplay(TextWriter.Null));

        resumed.Weights.Should().HaveCount(straight.Weights.Length);
        for (int i = 0; i < straight.Weights.Length; i++)
        {
            resumed.Weights[i].Should().Equal(straight.Weights[i], $"tensor {i} after resuming must equal the uninterrupted run's");
        }

        resumed.TestAccuracy.Should().Be(straight.TestAccuracy);
        resumed.TestAccuracy.Should().BeGreaterThan(0.90, "two epochs on 3,000 images already classify most test digits");
        resumed.OnnxDisagreements.Should().Be(0, "ONNX Runtime runs the exported model to the same predictions on all 10,000 test images");

        string[] lines = progress.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(2, "the display gets one epoch from each segment");
        lines[0].Should().StartWith("epoch 1/2 ");
        lines[1].Should().StartWith("epoch 2/2 ", "the resumed segment counts on from the checkpoint's epoch");
    }

    [Fact]
    public async Task TheProgramWithRedirectedOutputPrintsOnePlainLinePerEpochOfBothSegments()
    {
        var (exitCode, output, error) = await SampleProgram.RunAsync("MnistRecipe", "MnistRecipe.Sample.dll", TimeSpan.FromSeconds(180), "4", "1000");
        exitCode.Should().Be(0, error);
        output.Should().NotContain("\u001b", "redirected output gets no escape codes");
        string[] lines = [.. output.Split('\n').Select(line => line.TrimEnd('\r'))];
        string[] shown = [.. lines.Where(line => line.StartsWith("epoch", StringComparison.Ordinal) || line.StartsWith("resumed: epochs", StringComparison.Ordinal))];
        shown.Should().HaveCount(6);
        shown[0].Should().Be("epochs 1–2");
        shown[1].Should().StartWith("epoch 1/4 ");
        shown[2].Should().StartWith("epoch 2/4 ");
        shown[3].Should().Be("resumed: epochs 3–4");
        shown[4].Should().StartWith("epoch 3/4 ", "the resumed segment's epochs are numbered from the checkpoint on");
        shown[5].Should().StartWith("epoch 4/4 ");
        shown.Where(line => line.StartsWith("epoch ", StringComparison.Ordinal)).Should().OnlyContain(line => line.Contains("samples/s") && line.Contains("val loss"));
        lines.Should().Contain(line => line.StartsWith("test loss ", StringComparison.Ordinal) && line.Contains("after 4 epochs"));
        lines.Should().Contain("exported to ONNX: ONNX Runtime disagrees with the library on 0 of 10000 test images");
    }
}
