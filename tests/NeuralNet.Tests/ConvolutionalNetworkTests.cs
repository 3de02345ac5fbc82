namespace NeuralNet.Tests;

using NeuralNet;
using NeuralNet.Layers;
using NeuralNet.Optimizers;

/// <summary>A small convolutional network end to end: it learns a task a dense layer on pixels would find harder, and its
/// checkpoint round-trips.</summary>
public sealed class ConvolutionalNetworkTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("conv-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Sequential Cnn(int seed) => new(
        new Conv2d(1, 4, 3, seed: seed), new ReLU(),
        new MaxPool2d(2),
        new Flatten(),
        new Dense(16, 2, seed: seed + 2));

    /// <summary>
    /// 6×6 images of one bright bar of length 3, vertical (class 0) or horizontal (class 1), anywhere, on weak noise.
    /// </summary>
    private static (Tensor Images, int[] Labels) Bars(int count, int seed)
    {
        var random = new Random(seed);
        var pixels = new float[count * 36];
        var labels = new int[count];
        for (int n = 0; n < count; n++)
        {
            labels[n] = n % 2;
            for (int p = 0; p < 36; p++)
            {
                pixels[(n * 36) + p] = (float)(0.1 * random.NextDouble());
            }

            int row = random.Next(labels[n] == 0 ? 4 : 6), col = random.Next(labels[n] == 0 ? 6 : 4);
            for (int k = 0; k < 3; k++)
            {
                int r = labels[n] == 0 ? row + k : row, c = labels[n] == 0 ? col : col + k;
                pixels[(n * 36) + (r * 6) + c] = 1;
            }
        }

        return (Tensor.FromArray(pixels, count, 1, 6, 6), labels);
    }

    [Fact]
    public void ASmallCnnLearnsToTellVerticalFromHorizontalBars()
    {
        Sequential model = Cnn(seed: 1);
        var optimizer = new Adam(model.Parameters, learningRate: 0.03);
        (Tensor images, int[] labels) = Bars(64, seed: 3);

        double Step()
        {
            optimizer.ZeroGrad();
            using var tape = Tape.Record();
            Tensor loss = Losses.CrossEntropy(model.Forward(images), labels);
            tape.Backward(loss);
            optimizer.Step();
            return loss.Item();
        }

        double first = Step();
        double last = first;
        for (int i = 0; i < 150; i++)
        {
            last = Step();
        }

        // Chance is ln 2 ≈ 0.69; the task is separable by a 3×1 and a 1×3 filter.
        first.Should().BeGreaterThan(0.5);
        last.Should().BeLessThan(0.1 * first, $"the loss went from {first} to {last}");

        (Tensor test, int[] testLabels) = Bars(32, seed: 4);
        int[] predicted = model.Forward(test).ArgMax(1);
        predicted.Zip(testLabels).Count(p => p.First == p.Second).Should().BeGreaterThanOrEqualTo(30);
    }

    [Fact]
    public void ACheckpointRoundTripsEveryConvolutionParameter()
    {
        Sequential saved = Cnn(seed: 1), loaded = Cnn(seed: 10);
        var conv1d = new Conv1d(2, 3, 2, seed: 7);
        var other1d = new Conv1d(2, 3, 2, seed: 8);
        string path = Path.Combine(_dir, "cnn.safetensors"), path1d = Path.Combine(_dir, "conv1d.safetensors");

        saved.NamedParameters.Select(p => p.Name).Should().Equal("0.weight", "0.bias", "4.weight", "4.bias");
        saved.Save(path);
        loaded.Load(path);
        conv1d.Save(path1d);
        other1d.Load(path1d);

        Tensor x = Bars(4, seed: 5).Images;
        loaded.Forward(x).ToArray<float>().Should().Equal(saved.Forward(x).ToArray<float>());
        other1d.Weight.ToArray<float>().Should().Equal(conv1d.Weight.ToArray<float>());
        other1d.Bias!.ToArray<float>().Should().Equal(conv1d.Bias!.ToArray<float>());
    }
}
