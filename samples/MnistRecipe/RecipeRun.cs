using System.Diagnostics;
using NeuralNet;
using NeuralNet.Data;
using NeuralNet.Samples.Support;
using NeuralNet.Training;

namespace MnistRecipeSample;

/// <summary>What a run printed: the test accuracy, the time, and the trained model's values.</summary>
/// <param name="TestAccuracy">The accuracy on the 10,000 test images.</param>
/// <param name="Seconds">The wall-clock time of training, checkpoint and resume included.</param>
/// <param name="Weights">Every parameter and buffer of the trained model, in state_dict order.</param>
/// <param name="OnnxDisagreements">Test images on which the model exported to ONNX, run by ONNX Runtime, predicts
/// another class than the library.</param>
public sealed record RecipeResult(double TestAccuracy, double Seconds, double[][] Weights, int OnnxDisagreements);

/// <summary>Trains the recipe, optionally stopping half-way into a checkpoint and resuming from it in fresh objects.</summary>
public static class RecipeRun
{
    /// <summary>Runs the recipe for <paramref name="epochs"/> epochs, printing to <paramref name="output"/>.</summary>
    /// <param name="data">The folder of the MNIST files.</param>
    /// <param name="epochs">Epochs in all.</param>
    /// <param name="trainingImages">Train on the first this many images only (null: all 60,000).</param>
    /// <param name="resume">Checkpoint after half the epochs and continue in a freshly built recipe, as a new process would.</param>
    /// <param name="output">Where the report goes, the headings of the training segments included.</param>
    /// <param name="display">Shows the batches and epochs of each segment as they train.</param>
    public static RecipeResult Run(string data, int epochs, int? trainingImages, bool resume, TextWriter output, ITrainingDisplay display)
    {
        var (train, test) = Mnist.Load(data);
        if (trainingImages is { } count)
        {
            train = train.Subset([.. Enumerable.Range(0, count)]);
        }

        int half = Math.Max(1, epochs / 2);
        var recipe = new Recipe(stepsPerEpoch: (train.Count + Recipe.BatchSize - 1) / Recipe.BatchSize, epochs);
        output.WriteLine($"MNIST: {train.Count} training and {test.Count} test images; {epochs} epochs{(resume ? $", checkpoint after {half}" : string.Empty)}");
        output.WriteLine(recipe.Model);
        output.WriteLine(recipe.Optimizer);

        var clock = Stopwatch.StartNew();
        if (resume)
        {
            Fit(recipe, train, recipe.Options(test, endEpoch: half), string.Empty, epochs, output, display);
            string checkpoint = Path.Combine(Path.GetTempPath(), $"mnist-recipe-{Environment.ProcessId}.safetensors");
            TrainingCheckpoint.Save(checkpoint, recipe.Model, recipe.Optimizer, recipe.Schedule, epoch: half);
            output.WriteLine($"saved {checkpoint} after epoch {half} (learning rate {recipe.Optimizer.LearningRate:G4})");

            // What a new process does: build the same recipe, load the checkpoint, continue from the epoch it holds.
            recipe = new Recipe(recipe.StepsPerEpoch, epochs);
            int done = TrainingCheckpoint.Load(checkpoint, recipe.Model, recipe.Optimizer, recipe.Schedule);
            File.Delete(checkpoint);
            output.WriteLine($"resumed at epoch {done} (learning rate {recipe.Optimizer.LearningRate:G4})");
            Fit(recipe, train, recipe.Options(test, endEpoch: epochs, initialEpoch: done), "resumed: ", epochs, output, display);
        }
        else
        {
            Fit(recipe, train, recipe.Options(test, endEpoch: epochs), string.Empty, epochs, output, display);
        }

        double seconds = clock.Elapsed.TotalSeconds;
        var (testLoss, testAccuracy) = Trainer.Evaluate(recipe.Model, test);
        output.WriteLine($"test loss {testLoss:F4}, test accuracy {testAccuracy:P2} after {epochs} epochs in {seconds:F1} s");
        double[][] weights = [.. recipe.Model.Parameters.Select(p => p.ToArray<double>()), .. recipe.Model.NamedBuffers.Select(b => b.Buffer.ToArray<double>())];
        int disagreements = OnnxCheck.Disagreements(recipe.Model, test);
        output.WriteLine($"exported to ONNX: ONNX Runtime disagrees with the library on {disagreements} of {test.Count} test images");
        return new RecipeResult(testAccuracy, seconds, weights, disagreements);
    }

    // Each segment is a Fit call that ends before the run does: the display counts out of the run's epochs, and the
    // heading names the segment's range.
    private static void Fit(Recipe recipe, Dataset train, FitOptions options, string prefix, int runEpochs, TextWriter output, ITrainingDisplay display)
    {
        output.WriteLine(options.InitialEpoch < options.Epochs
            ? $"{prefix}epochs {options.InitialEpoch + 1}–{options.Epochs}"
            : $"{prefix}no epochs left after {options.InitialEpoch}");
        display.Run(options, o => Trainer.Fit(recipe.Model, recipe.Optimizer, train, o), runEpochs);
    }
}
