using NeuralNet;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Optimizers;
using NeuralNet.Training;

namespace ClassicSample;

/// <summary>What the softmax-regression demo found.</summary>
/// <param name="SoftmaxTestAccuracy">Test accuracy of the linear model (softmax regression).</param>
/// <param name="HiddenTestAccuracy">Test accuracy with one hidden layer.</param>
/// <param name="SoftmaxHistory">The linear model's epoch reports.</param>
/// <param name="HiddenHistory">The hidden-layer model's epoch reports.</param>
public sealed record SoftmaxRegressionResult(
    double SoftmaxTestAccuracy, double HiddenTestAccuracy, IReadOnlyList<EpochReport> SoftmaxHistory, IReadOnlyList<EpochReport> HiddenHistory);

/// <summary>
/// Softmax regression on the 8×8 digits (64 pixels / 16 → 10 logits, cross-entropy), trained by <see cref="Trainer.Fit"/>
/// with mini-batch Adam; then the same with one hidden layer of 64 ReLUs.
/// </summary>
public static class SoftmaxRegressionDemo
{
    /// <summary>Epochs per model.</summary>
    public const int Epochs = 20;

    /// <summary>Runs the demo, printing to <paramref name="output"/>.</summary>
    public static SoftmaxRegressionResult Run(string dataDirectory, TextWriter output)
    {
        var (train, test) = Digits(dataDirectory).Split(0.2, seed: 1);
        output.WriteLine($"Digits: {train.Count} training, {test.Count} test images of 8x8 pixels scaled to [0, 1]; Adam 0.01, batch 32, {Epochs} epochs");

        var softmax = new Sequential(new Dense(64, 10, seed: 1));
        var (softmaxHistory, softmaxAccuracy) = Train("softmax regression  64-10", softmax, train, test, output);
        var hidden = new Sequential(new Dense(64, 64, seed: 1), new ReLU(), new Dense(64, 10, seed: 2));
        var (hiddenHistory, hiddenAccuracy) = Train("one hidden layer 64-64-10", hidden, train, test, output);
        return new SoftmaxRegressionResult(softmaxAccuracy, hiddenAccuracy, softmaxHistory, hiddenHistory);
    }

    /// <summary>The digits set, Float32, each pixel (0..16) divided by 16.</summary>
    public static Dataset Digits(string dataDirectory)
    {
        Dataset digits = ClassicData.Load(dataDirectory, "digits.csv.gz", DType.Float32);
        return new Dataset(digits.Inputs / 16.0, digits.Labels);
    }

    private static (IReadOnlyList<EpochReport> History, double TestAccuracy) Train(
        string name, Module model, Dataset train, Dataset test, TextWriter output)
    {
        var optimizer = new Adam(model.Parameters, learningRate: 0.01);
        FitResult result = Trainer.Fit(model, optimizer, train, new FitOptions { Epochs = Epochs, BatchSize = 32, Seed = 1, Validation = test });
        output.WriteLine($"  {name}:");
        output.WriteLine($"  {"epoch",7}{"train loss",12}{"train acc",11}{"test loss",11}{"test acc",10}");
        foreach (EpochReport r in result.History.Where(r => r.Epoch is 1 or 2 or 5 or 10 || r.Epoch == Epochs))
        {
            output.WriteLine($"  {r.Epoch,7}{r.TrainLoss,12:F4}{r.TrainAccuracy,11:P1}{r.ValidationLoss,11:F4}{r.ValidationAccuracy,10:P1}");
        }

        double accuracy = Trainer.Evaluate(model, test).Accuracy;
        return (result.History, accuracy);
    }
}
