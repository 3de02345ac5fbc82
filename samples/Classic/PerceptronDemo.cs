using NeuralNet;
using NeuralNet.Layers;
using NeuralNet.Optimizers;

namespace ClassicSample;

/// <summary>What the perceptron demo found.</summary>
/// <param name="IrisMistakes">Mistakes per epoch on setosa vs versicolor; the last is 0.</param>
/// <param name="XorMistakes">Mistakes per epoch on XOR, for every epoch run; never 0.</param>
/// <param name="MlpLosses">The 2-4-1 network's cross-entropy at each printed step.</param>
/// <param name="MlpOutputs">The trained network's σ(output) for (0,0), (0,1), (1,0), (1,1).</param>
public sealed record PerceptronResult(int[] IrisMistakes, int[] XorMistakes, double[] MlpLosses, double[] MlpOutputs);

/// <summary>Rosenblatt's perceptron: it converges on separable data, never on XOR; a hidden layer learns XOR.</summary>
public static class PerceptronDemo
{
    /// <summary>Epochs the perceptron gets on XOR.</summary>
    public const int XorEpochs = 12;

    /// <summary>Runs the demo, printing to <paramref name="output"/>.</summary>
    public static PerceptronResult Run(string dataDirectory, TextWriter output)
    {
        // Setosa (0) vs versicolor (1): the first 100 rows; sepal length and petal length. Shuffled once, seeded.
        var iris = ClassicData.Load(dataDirectory, "iris.csv");
        int[] rows = [.. NeuralNet.Data.DataLoader.Permutation(100, seed: 1)];
        Tensor x = iris.Inputs.Gather(rows).Gather([0, 2], axis: 1);
        int[] y = [.. rows.Select(r => iris.Labels[r])];
        var perceptron = new Perceptron(2);
        int[] irisMistakes = perceptron.Fit(x, y, epochs: 100, learningRate: 0.1);
        output.WriteLine("Iris setosa vs versicolor (sepal length, petal length; 100 flowers), rule w <- w + 0.1 (y - yhat) x:");
        output.WriteLine($"  mistakes per epoch: {string.Join(" ", irisMistakes)}");
        output.WriteLine($"  converged after {irisMistakes.Length} epochs: w = [{perceptron.Weight[0]:F2}, {perceptron.Weight[1]:F2}], b = {perceptron.Bias.Item():F2}");

        Tensor xor = Tensor.FromArray([0.0, 0, 0, 1, 1, 0, 1, 1], 4, 2);
        int[] xorLabels = [0, 1, 1, 0];
        int[] xorMistakes = new Perceptron(2).Fit(xor, xorLabels, epochs: XorEpochs);
        output.WriteLine("XOR (no line separates {(0,1), (1,0)} from {(0,0), (1,1)}):");
        output.WriteLine($"  mistakes per epoch: {string.Join(" ", xorMistakes)}  (never 0: the weights cycle)");

        // A hidden layer bends the boundary: 2-4-1, tanh, trained on the cross-entropy of its logit by Adam.
        var mlp = new Sequential(
            new Dense(2, 4, dtype: DType.Float64, seed: 1), new Tanh(),
            new Dense(4, 1, dtype: DType.Float64, seed: 2));
        Tensor targets = ClassicData.Column(xorLabels.Select(l => (double)l));
        var optimizer = new Adam(mlp.Parameters, learningRate: 0.05);
        int[] report = [0, 10, 100, 300, 1000];
        var losses = new List<double>();
        output.WriteLine("2-4-1 MLP (tanh) on XOR, Adam 0.05, full batch:");
        for (int step = 0; step <= report[^1]; step++)
        {
            optimizer.ZeroGrad();
            using (var tape = Tape.Record())
            {
                Tensor loss = Losses.BinaryCrossEntropyWithLogits(mlp.Forward(xor), targets);
                if (report.Contains(step))
                {
                    losses.Add(loss.Item());
                    output.WriteLine($"  step {step,5}  loss {loss.Item(),10:F6}");
                }

                if (step == report[^1])
                {
                    break;
                }

                tape.Backward(loss);
            }

            optimizer.Step();
        }

        double[] outputs = mlp.Forward(xor).Sigmoid().ToArray<double>();
        output.WriteLine($"  sigma(output) for (0,0) (0,1) (1,0) (1,1): {string.Join("  ", outputs.Select(o => $"{o:F4}"))}");
        return new PerceptronResult(irisMistakes, xorMistakes, [.. losses], outputs);
    }
}
