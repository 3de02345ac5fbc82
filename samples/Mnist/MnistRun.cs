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

/// <summary>Trains the 784-256-128-10 ReLU network on MNIST, then draws its curves and its mistakes.</summary>
public static class MnistRun
{
    /// <summary>Rows of the grid of misclassified digits.</summary>
    public const int GridRows = 5;

    /// <summary>Columns of the grid of misclassified digits.</summary>
    public const int GridColumns = 8;

    /// <summary>Trains for <paramref name="epochs"/> epochs, validating on the test set after each, and writes
    /// mnist-curves.png and mnist-misclassified.png to <paramref name="outputDirectory"/>.</summary>
    /// <param name="data">The folder of the MNIST files.</param>
    /// <param name="epochs">Epochs to train.</param>
    /// <param name="trainingImages">Train on the first this many images only (null: all 60,000).</param>
    /// <param name="outputDirectory">Where the pictures go; created if missing.</param>
    /// <param name="output">Where the report goes, besides the display.</param>
    /// <param name="display">Shows the batches and epochs as they train.</param>
    public static MnistResult Run(string data, int epochs, int? trainingImages, string outputDirectory, TextWriter output, ITrainingDisplay display)
    {
        var clock = Stopwatch.StartNew();
        var (train, test) = Mnist.Load(data);
        if (trainingImages is { } count)
        {
            train = train.Subset([.. Enumerable.Range(0, count)]);
        }

        output.WriteLine($"MNIST: {train.Count} training and {test.Count} test images of {train.Inputs.Shape[1]} pixels ({clock.Elapsed.TotalSeconds:F1} s to load)");

        var model = Network(seed: 1);
        output.WriteLine(model);

        var optimizer = new Adam(model.Parameters, learningRate: 1e-3);
        var curves = new TrainingCurves();
        var options = new FitOptions { Epochs = epochs, BatchSize = 128, Shuffle = true, Seed = 1, Validation = test, OnEpochEnd = curves.Record };
        FitResult result = display.Run(options, o => Trainer.Fit(model, optimizer, train, o));

        var (testLoss, testAccuracy) = Trainer.Evaluate(model, test);
        output.WriteLine($"test loss {testLoss:F4}, test accuracy {testAccuracy:P2} after {result.History.Count} epochs");

        string checkpoint = Path.Combine(Path.GetTempPath(), $"mnist-mlp-{Environment.ProcessId}.safetensors");
        model.Save(checkpoint);
        var reloaded = Network(seed: 9);
        reloaded.Load(checkpoint);
        File.Delete(checkpoint);
        output.WriteLine($"saved and reloaded a checkpoint; reloaded model's test accuracy {Trainer.Evaluate(reloaded, test).Accuracy:P2}");

        int[] predictions;
        using (Autodiff.NoGrad())
        {
            model.Eval();
            predictions = model.Forward(test.Inputs).ArgMax(1);
        }

        int[] wrong = Misclassified.Select(test.Labels, predictions, GridRows * GridColumns);
        Directory.CreateDirectory(outputDirectory);
        string curvesPath = Path.Combine(outputDirectory, "mnist-curves.png");
        string gridPath = Path.Combine(outputDirectory, "mnist-misclassified.png");
        CurvesPlot.Save(curves, curvesPath);
        MisclassifiedPlot.Save(test, wrong, predictions, GridColumns, gridPath);
        output.WriteLine($"wrote {curvesPath} and {gridPath} ({wrong.Length} of {predictions.Zip(test.Labels).Count(p => p.First != p.Second)} misclassified test digits)");
        return new MnistResult(curves, testAccuracy, test.Labels, predictions, wrong, curvesPath, gridPath);
    }

    // Different seeds give different initial weights, so the reloaded model's accuracy shows that Load replaced them.
    private static Sequential Network(int seed) => new(
        new Dense(784, 256, seed: seed), new ReLU(),
        new Dense(256, 128, seed: seed + 1), new ReLU(),
        new Dense(128, 10, seed: seed + 2));
}
