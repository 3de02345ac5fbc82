using System.Diagnostics;
using System.Globalization;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Optimizers;
using NeuralNet.Training;

namespace NeuralNet.Benchmarks.Workloads;

/// <summary>
/// <c>mnist-epoch</c>: the first epoch of a fresh process on MNIST's 60,000 training images (batches of 128, shuffled,
/// Adam at 10⁻³), in seconds, then the test accuracy. <c>mnist-epoch-captured</c>: the same with
/// <see cref="FitOptions.CaptureSteps"/>. A seed other than 0 changes the initialisation and the shuffling, to see how much
/// the accuracy of one epoch varies from seed to seed.
/// </summary>
internal static class MnistEpochWorkload
{
    public static string Run(string name, string directory, int seed, bool captured)
    {
        var (train, test) = Mnist.Load(directory);
        Sequential model = MlpStepWorkload.Mlp(seed);
        var optimizer = new Adam(model.Parameters, learningRate: 1e-3);
        int gen2 = GC.CollectionCount(2);
        var clock = Stopwatch.StartNew();
        Trainer.Fit(model, optimizer, train, new FitOptions { Epochs = 1, BatchSize = 128, Shuffle = true, Seed = seed, CaptureSteps = captured });
        double seconds = clock.Elapsed.TotalSeconds;
        gen2 = GC.CollectionCount(2) - gen2;
        double accuracy = Trainer.Evaluate(model, test).Accuracy;
        return string.Create(CultureInfo.InvariantCulture, $"{name} {seconds:F2} s/epoch test_acc={accuracy:F4} gen2={gen2}");
    }
}
