using System.Diagnostics;
using NeuralNet;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Optimizers;
using NeuralNet.Samples.Support;
using NeuralNet.Training;

namespace MnistSample;

/// <summary>What a run produced: the per-epoch numbers, the misclassified digits it drew, and where the pictures are.</summary>
/// <param name="Curves">The per-epoch numbers, as the training loop's <see cref="FitOptions.OnEpochEnd"/> reported them.</param>
/// <param name="TestAccuracy">The trained model's accuracy on the 10,000 test images.</param>
/// <param name="Labels">The test set's labels.</param>
/// <param name="Predictions">The trained model's class for every test image.</param>
/// <param name="Misclassified">The test images in the grid of misclassified digits.</param>
/// <param name="CurvesPath">The PNG of the loss and accuracy curves.</param>
/// <param name="MisclassifiedPath">The PNG of the misclassified digits.</param>
public sealed record MnistResult(
    TrainingCurves Curves, double TestAccuracy, int[] Labels, int[] Predictions, int[] Misclassified, string CurvesPath, string MisclassifiedPath);

/// <summary>Trains the 784-256-128-10 ReLU network (or a LeNet-style CNN) on MNIST, then draws its curves and its mistakes.</summary>
public static class MnistRun
{
    /// <summary>Rows of the grid of misclassified digits.</summary>
    public const int GridRows = 5;

    /// <summary>Columns of the grid of misclassified digits.</summary>
    public const int GridColumns = 8;

    /// <summary>Trains for <paramref name="epochs"/> epochs, validating on the test set after each, and writes
    /// mnist-curves.png and mnist-misclassified.png (mnist-cnn-… for the CNN) to <paramref name="outputDirectory"/>.</summary>
    /// <param name="data">The folder of the MNIST files.</param>
    /// <param name="epochs">Epochs to train.</param>
    /// <param name="trainingImages">Train on the first this many images only (null: all 60,000).</param>
    /// <param name="outputDirectory">Where the pictures go; created if missing.</param>
    /// <param name="output">Where the report goes, besides the display.</param>
    /// <param name="display">Shows the batches and epochs as they train.</param>
    /// <param name="convolutional">Train the CNN (two 3×3 convolutions with max pooling) instead of the MLP.</param>
    public static MnistResult Run(
        string data, int epochs, int? trainingImages, string outputDirectory, TextWriter output, ITrainingDisplay display, bool convolutional = false)
    {
        var clock = Stopwatch.StartNew();
        var (train, test) = Mnist.Load(data);
        if (trainingImages is { } count)
        {
            train = train.Subset([.. Enumerable.Range(0, count)]);
        }

        output.WriteLine($"MNIST: {train.Count} training and {test.Count} test images of {train.Inputs.Shape[1]} pixels ({clock.Elapsed.TotalSeconds:F1} s to load)");

        var model = Network(seed: 1, convolutional);
        output.WriteLine(model);

        var optimizer = new Adam(model.Parameters, learningRate: 1e-3);
        var curves = new TrainingCurves();
        var options = new FitOptions { Epochs = epochs, BatchSize = 128, Shuffle = true, Seed = 1, Validation = test, OnEpochEnd = curves.Record };
        FitResult result = display.Run(options, o => Trainer.Fit(model, optimizer, train, o));

        var (testLoss, testAccuracy) = Trainer.Evaluate(model, test);
        output.WriteLine($"test loss {testLoss:F4}, test accuracy {testAccuracy:P2} after {result.History.Count} epochs");

        string name = convolutional ? "mnist-cnn" : "mnist";
        string checkpoint = Path.Combine(Path.GetTempPath(), $"{name}-{Environment.ProcessId}.safetensors");
        model.Save(checkpoint);
        var reloaded = Network(seed: 9, convolutional);
        reloaded.Load(checkpoint);
        File.Delete(checkpoint);
        output.WriteLine($"saved and reloaded a checkpoint; reloaded model's test accuracy {Trainer.Evaluate(reloaded, test).Accuracy:P2}");

        // In batches: the CNN's first activations for all 10,000 images at once would take almost 1 GB.
        var predictions = new int[test.Count];
        using (Autodiff.NoGrad())
        {
            model.Eval();
            for (int start = 0; start < test.Count; start += 1000)
            {
                model.Forward(test.Inputs.Slice(0, start, Math.Min(1000, test.Count - start))).ArgMax(1).CopyTo(predictions, start);
            }
        }

        int[] wrong = Misclassified.Select(test.Labels, predictions, GridRows * GridColumns);
        Directory.CreateDirectory(outputDirectory);
        string curvesPath = Path.Combine(outputDirectory, $"{name}-curves.png");
        string gridPath = Path.Combine(outputDirectory, $"{name}-misclassified.png");
        CurvesPlot.Save(curves, curvesPath);
        MisclassifiedPlot.Save(test, wrong, predictions, GridColumns, gridPath);
        output.WriteLine($"wrote {curvesPath} and {gridPath} ({wrong.Length} of {predictions.Zip(test.Labels).Count(p => p.First != p.Second)} misclassified test digits)");
        return new MnistResult(curves, testAccuracy, test.Labels, predictions, wrong, curvesPath, gridPath);
    }

    // Different seeds give different initial weights, so the reloaded model's accuracy shows that Load replaced them.
    // The CNN's layers take seeds two apart: each draws its bias from its seed + 1.
    private static Sequential Network(int seed, bool convolutional) => convolutional
        ? new(
            new Unflatten(1, [1, 28, 28]),
            new Conv2d(1, 32, 3, seed: seed), new ReLU(), new MaxPool2d(2),
            new Conv2d(32, 64, 3, seed: seed + 2), new ReLU(), new MaxPool2d(2),
            new Flatten(), new Dense(64 * 5 * 5, 10, seed: seed + 4))
        : new(
            new Dense(784, 256, seed: seed), new ReLU(),
            new Dense(256, 128, seed: seed + 1), new ReLU(),
            new Dense(128, 10, seed: seed + 2));
}
