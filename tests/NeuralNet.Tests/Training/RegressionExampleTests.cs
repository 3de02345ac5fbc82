namespace NeuralNet.Tests.Training;

using System.Globalization;
using NeuralNet;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Optimizers;
using NeuralNet.Training;

/// <summary>The regression example proposed for the README, with its output captured instead of printed.</summary>
public class RegressionExampleTests
{
    [Fact]
    public void TheRegressionExampleLearnsTheLineAndLogsInOrder()
    {
        var output = new StringWriter(CultureInfo.InvariantCulture);

        // y = 3x₁ − 2x₂ + 1, learned by mean squared error from tensor targets.
        var random = new Random(0);
        var x = new double[200, 2];
        var y = new double[200];
        for (int i = 0; i < 200; i++)
        {
            x[i, 0] = random.NextDouble();
            x[i, 1] = random.NextDouble();
            y[i] = 3 * x[i, 0] - 2 * x[i, 1] + 1;
        }

        var (train, validation) = new TensorDataset(Tensor.FromArray(x), Tensor.FromArray(y, 200, 1)).Split(0.2, seed: 1);
        var model = new Dense(2, 1, dtype: DType.Float64, seed: 1);
        var optimizer = new Adam(model.Parameters, learningRate: 0.05);
        FitResult result = Trainer.Fit(
            model, optimizer, train, (p, t) => Losses.MeanSquaredError(p, t),
            new FitOptions
            {
                Epochs = 200,
                BatchSize = 32,
                Validation = validation,
                Patience = 10,
                OnEpochEnd = e =>
                {
                    if (e.Epoch % 50 == 0)
                    {
                        e.Optimizer.LearningRate /= 2;   // a step schedule
                    }
                },
            },
            new SynchronousProgress<EpochReport>(r =>
            {
                if (r.Epoch % 50 == 0)
                {
                    output.WriteLine(r);
                }
            }));
        output.WriteLine($"w = {model.Weight.ToArray<double>()[0]:F2}, {model.Weight.ToArray<double>()[1]:F2}; b = {model.Bias!.Item():F2}");

        string[] lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(result.History.Count / 50 + 1);
        lines[..^1].Select(l => l[..9]).Should().Equal(Enumerable.Range(1, result.History.Count / 50).Select(k => $"epoch {50 * k,3}"));
        lines[^1].Should().Be("w = 3.00, -2.00; b = 1.00");
        optimizer.LearningRate.Should().Be(0.05 / Math.Pow(2, result.History.Count / 50));
    }
}
