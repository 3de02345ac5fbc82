using System.Globalization;
using NeuralNet.Layers;
using NeuralNet.Optimizers;

namespace NeuralNet.Benchmarks.Workloads;

/// <summary>
/// <c>mlp-step</c>: one training step of a 784-256-128-10 ReLU network on a batch of 128 (zero the gradients,
/// forward, cross-entropy, backward, Adam), in µs per step, then the allocations of 1,000 more steps.
/// <c>mlp-step-captured</c>: the same step as a <see cref="CapturedStep"/>, each call a replay on the batch.
/// </summary>
internal static class MlpStepWorkload
{
    public static string Run(string name, bool captured)
    {
        Tensor images = Tensor.RandomNormal([128, 784], seed: 1);
        int[] labels = [.. Enumerable.Range(0, 128).Select(i => (i * 7) % 10)];
        Sequential model = Mlp();
        var optimizer = new Adam(model.Parameters, learningRate: 1e-3);
        Tensor Step(Tensor x, int[] y)
        {
            optimizer.ZeroGrad();
            using var tape = Tape.Record();
            Tensor loss = Losses.CrossEntropy(model.Forward(x), y);
            tape.Backward(loss);
            optimizer.Step();
            return loss;
        }

        using CapturedStep? capture = captured ? CapturedStep.Capture(images, labels, Step) : null;
        Action step = capture is null ? () => Step(images, labels) : () => capture.Replay(images, labels);
        double seconds = WorkloadRunner.MedianOfRounds(step, reps: 50);
        string allocations = WorkloadRunner.AllocationsOf(step, steps: 1000);
        return string.Create(CultureInfo.InvariantCulture, $"{name} {seconds * 1e6:F1} us/step {allocations}");
    }

    /// <summary>The anchor's network: Dense 784→256, ReLU, Dense 256→128, ReLU, Dense 128→10, its layers initialised
    /// from seeds 3·<paramref name="seed"/> + 1, + 2 and + 3.</summary>
    public static Sequential Mlp(int seed = 0) => new(
        new Dense(784, 256, seed: (3 * seed) + 1), new ReLU(),
        new Dense(256, 128, seed: (3 * seed) + 2), new ReLU(),
        new Dense(128, 10, seed: (3 * seed) + 3));
}
