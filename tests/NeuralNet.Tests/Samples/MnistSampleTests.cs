namespace NeuralNet.Tests.Samples;

using MnistSample;
using NeuralNet.Samples.Support;

/// <summary>samples/Mnist on a slice of MNIST: its curves, its grid of mistakes, its pictures and its plain progress lines.</summary>
public sealed class MnistSampleTests : IDisposable
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private readonly string folder = Path.Combine(Path.GetTempPath(), $"mnist-sample-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void TheCurvesHoldOnePointPerEpochAndTheGridOnlyMistakes()
    {
        var progress = new StringWriter();
        MnistResult result = MnistRun.Run(
            RepositoryData.Directory("mnist"), epochs: 2, trainingImages: 2000, folder, TextWriter.Null, new PlainTextDisplay(progress));

        TrainingCurves curves = result.Curves;
        curves.Epochs.Should().Equal(1, 2);
        foreach (double[] series in new[] { curves.TrainLoss, curves.TrainAccuracy, curves.ValidationLoss, curves.ValidationAccuracy })
        {
            series.Should().HaveCount(2);
        }

        curves.TrainLoss.Concat(curves.ValidationLoss).Should().OnlyContain(loss => loss > 0 && double.IsFinite(loss));
        curves.TrainAccuracy.Concat(curves.ValidationAccuracy).Should().OnlyContain(accuracy => accuracy >= 0 && accuracy <= 1);
        curves.TrainLoss[1].Should().BeLessThan(curves.TrainLoss[0], "the second epoch trains on what the first learned");

        // The last epoch's validation is the test set scored by the trained model: the predictions must agree with it.
        int errors = result.Predictions.Zip(result.Labels).Count(p => p.First != p.Second);
        (1 - ((double)errors / result.Labels.Length)).Should().BeApproximately(curves.ValidationAccuracy[1], 1e-12);
        result.TestAccuracy.Should().BeApproximately(curves.ValidationAccuracy[1], 1e-12);

        result.Misclassified.Should().HaveCount(Math.Min(MnistRun.GridRows * MnistRun.GridColumns, errors));
        result.Misclassified.Should().OnlyHaveUniqueItems();
        result.Misclassified.Should().OnlyContain(i => result.Predictions[i] != result.Labels[i]);

        ShouldBePng(result.CurvesPath).Should().Be((800, 500));
        ShouldBePng(result.MisclassifiedPath).Width.Should().Be(800);
        Path.GetDirectoryName(result.CurvesPath).Should().Be(folder);

        string[] lines = progress.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(2).And.OnlyContain(line => line.StartsWith("epoch ") && line.Contains("samples/s"));
        lines[0].Should().StartWith("epoch 1/2");
        lines[1].Should().StartWith("epoch 2/2");
    }

    [Fact]
    public void TheConvolutionalNetworkTrainsFromRowsOfPixels()
    {
        // 2,000 images, one epoch (16 Adam steps): the CNN reads MNIST's [N, 784] rows through Unflatten; this checks the
        // sample's plumbing, so it asks only for five times chance (10 %). Its pictures get their own names, so they do
        // not replace the MLP's.
        MnistResult result = MnistRun.Run(
            RepositoryData.Directory("mnist"), epochs: 1, trainingImages: 2000, folder, TextWriter.Null, new PlainTextDisplay(new StringWriter()), convolutional: true);

        result.TestAccuracy.Should().BeGreaterThan(0.5);
        int errors = result.Predictions.Zip(result.Labels).Count(p => p.First != p.Second);
        (1 - ((double)errors / result.Labels.Length)).Should().BeApproximately(result.TestAccuracy, 1e-12, "the batched predictions score as Evaluate does");
        Path.GetFileName(result.CurvesPath).Should().Be("mnist-cnn-curves.png");
        ShouldBePng(result.MisclassifiedPath).Width.Should().Be(800);
    }

    [Fact]
    public void MisclassifiedPicksOnlyWrongPredictionsInOrderUpToTheGrid()
    {
        int[] labels = [1, 2, 3, 4, 5, 6];
        int[] predictions = [1, 0, 3, 0, 0, 6];

        Misclassified.Select(labels, predictions, 40).Should().Equal(1, 3, 4);
        Misclassified.Select(labels, predictions, 2).Should().Equal(1, 3);
        Misclassified.Select(labels, labels, 40).Should().BeEmpty();
    }

    [Fact]
    public async Task TheProgramWithRedirectedOutputPrintsOnePlainLinePerEpochAndWritesBothPictures()
    {
        var (exitCode, output, error) = await SampleProgram.RunAsync("Mnist", "Mnist.Sample.dll", TimeSpan.FromSeconds(60), "2", "--images", "1000", "--out", folder);
        exitCode.Should().Be(0, error);
        output.Should().NotContain("\u001b", "redirected output gets no escape codes");
        string[] epochLines = [.. output.Split('\n').Where(line => line.StartsWith("epoch ", StringComparison.Ordinal))];
        epochLines.Should().HaveCount(2);
        epochLines[0].Should().StartWith("epoch 1/2");
        epochLines[1].Should().StartWith("epoch 2/2");
        ShouldBePng(Path.Combine(folder, "mnist-curves.png"));
        ShouldBePng(Path.Combine(folder, "mnist-misclassified.png"));
    }

    /// <summary>Checks the file is a PNG with content, and returns its size from the IHDR chunk that follows the signature.</summary>
    private static (int Width, int Height) ShouldBePng(string path)
    {
        File.Exists(path).Should().BeTrue($"{path} is written");
        byte[] bytes = File.ReadAllBytes(path);
        bytes.Length.Should().BeGreaterThan(10_000, "a plot of curves or digits compresses to more than a blank image");
        bytes.Take(PngSignature.Length).Should().Equal(PngSignature);
        System.Text.Encoding.ASCII.GetString(bytes, 12, 4).Should().Be("IHDR");
        return (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }
}
