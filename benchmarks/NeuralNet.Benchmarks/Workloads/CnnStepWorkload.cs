using System.Globalization;
using NeuralNet.Layers;
using NeuralNet.Optimizers;

namespace NeuralNet.Benchmarks.Workloads;

/// <summary>
/// <c>cnn-step</c>: one training step of a LeNet-style MNIST network on a batch of 64 random [1, 28, 28] images (zero
/// the gradients, forward, cross-entropy, backward, Adam), in µs per step, then the allocations of 200 more steps.
/// </summary>
internal static class CnnStepWorkload
{
    public static string Run(string name)
    {
        Tensor images = Tensor.RandomNormal([64, 1, 28, 28], seed: 1);
        int[] labels = [.. Enumerable.Range(0, 64).Select(i => (i * 7) % 10)];
        Sequential model = Cnn();
        var optimizer = new Adam(model.Parameters, learningRate: 1e-3);
        void Step()
        {
            optimizer.ZeroGrad();
            using var tape = Tape.Record();
            Tensor loss = Losses.CrossEntropy(model.Forward(images), labels);
            tape.Backward(loss);
            optimizer.Step();
        }

        double seconds = WorkloadRunner.MedianOfRounds(Step, reps: 20);
        string allocations = WorkloadRunner.AllocationsOf(Step, steps: 200);
        return string.Create(CultureInfo.InvariantCulture, $"{name} {seconds * 1e6:F1} us/step {allocations}");
    }

    /// <summary>The anchor's network: Conv2d 1→32 (3×3), ReLU, MaxPool 2, Conv2d 32→64 (3×3), ReLU, MaxPool 2, Flatten,
    /// Dense 1600→10; each layer from its own seeds.</summary>
    public static Sequential Cnn() => new(
        new Conv2d(1, 32, 3, seed: 1), new ReLU(), new MaxPool2d(2),
        new Conv2d(32, 64, 3, seed: 3), new ReLU(), new MaxPool2d(2),
        new Flatten(), new Dense(1600, 10, seed: 5));
}
