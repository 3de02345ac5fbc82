using NeuralNet;
using NeuralNet.Layers;
using NeuralNet.Optimizers;

namespace ClassicSample;

/// <summary>What the losses demo found.</summary>
/// <param name="HingeLoss">The SVM's final mean hinge loss.</param>
/// <param name="SvmAccuracy">The SVM's training accuracy (sign of the score).</param>
/// <param name="InsideMargin">Flowers with y·s &lt; 1 (on or inside the margin, or misclassified).</param>
/// <param name="Gaussian">[mean slope, mean intercept, log-variance slope, log-variance intercept] learned (truth 2, 1, 2, −1).</param>
/// <param name="GaussianLoss">The final Gaussian negative log-likelihood (without ½ log 2π).</param>
public sealed record LossesResult(double HingeLoss, double SvmAccuracy, int InsideMargin, double[] Gaussian, double GaussianLoss);

/// <summary>
/// Two losses beyond squared error and cross-entropy: the hinge loss of a linear SVM (iris versicolor vs virginica,
/// labels ±1) and the Gaussian negative log-likelihood of a model that predicts a mean and a log-variance.
/// </summary>
public static class LossesDemo
{
    /// <summary>Runs the demo, printing to <paramref name="output"/>.</summary>
    public static LossesResult Run(string dataDirectory, TextWriter output)
    {
        // Linear SVM: versicolor (−1) vs virginica (+1), petal length and width, standardized; λ‖w‖² + mean hinge.
        var iris = ClassicData.Load(dataDirectory, "iris.csv");
        int[] rows = [.. Enumerable.Range(0, iris.Count).Where(r => iris.Labels[r] > 0)];
        Tensor petals = iris.Inputs.Gather(rows).Gather([2, 3], axis: 1);
        Tensor x = new Standardizer(petals).Apply(petals);
        int[] labels = [.. rows.Select(r => iris.Labels[r] == 2 ? 1 : -1)];
        Tensor y = ClassicData.Column(labels.Select(l => (double)l));
        var svm = new Dense(2, 1, dtype: DType.Float64, seed: 1);
        var optimizer = new GradientDescent(svm.Parameters, learningRate: 0.1);
        const double lambda = 0.01;
        for (int step = 0; step < 300; step++)
        {
            optimizer.ZeroGrad();
            using (var tape = Tape.Record())
            {
                tape.Backward(Losses.Hinge(svm.Forward(x), y) + Regularization.L2([svm.Weight], lambda));
            }

            optimizer.Step();
        }

        double[] scores = svm.Forward(x).ToArray<double>();
        double hinge = Losses.Hinge(svm.Forward(x), y).Item();
        double accuracy = ClassicData.Agreement([.. scores.Select(s => s > 0 ? 1 : -1)], labels);
        int inside = scores.Zip(labels, (s, l) => s * l < 1 ? 1 : 0).Sum();
        output.WriteLine($"Linear SVM, iris versicolor (-1) vs virginica (+1), petal length and width standardized, {rows.Length} flowers:");
        output.WriteLine($"  mean hinge max(0, 1 - y s) + {lambda} |w|^2, 300 steps of gradient descent, rate 0.1");
        output.WriteLine($"  hinge loss {hinge,8:F4}   accuracy {accuracy:P1}   {inside} flowers inside the margin (y s < 1)");

        // Heteroscedastic regression: y = 2x + 1 + ε, ε ~ N(0, σ²(x)), log σ²(x) = 2x − 1, x ~ U(−1, 1).
        const int n = 1000;
        Tensor u = Tensor.RandomUniform([n, 1], seed: 4, low: -1, high: 1, dtype: DType.Float64);
        Tensor target = (2.0 * u) + 1.0 + (((2.0 * u) - 1.0) * 0.5).Exp() * Tensor.RandomNormal([n, 1], seed: 5, dtype: DType.Float64);
        var model = new Dense(1, 2, dtype: DType.Float64, seed: 1);   // column 0: mean, column 1: log-variance
        var adam = new Adam(model.Parameters, learningRate: 0.05);
        double nll = double.NaN;
        for (int step = 0; step <= 500; step++)
        {
            adam.ZeroGrad();
            using (var tape = Tape.Record())
            {
                Tensor outputs = model.Forward(u);
                Tensor loss = Losses.GaussianNegativeLogLikelihood(outputs.Slice(1, 0, 1), target, outputs.Slice(1, 1, 1).Exp());
                nll = loss.Item();
                if (step == 500)
                {
                    break;
                }

                tape.Backward(loss);
            }

            adam.Step();
        }

        double[] w = model.Weight.ToArray<double>(), b = model.Bias!.ToArray<double>();
        double[] learned = [w[0], b[0], w[1], b[1]];
        output.WriteLine($"Gaussian NLL, y = 2x + 1 + N(0, exp(2x - 1)), {n} points; Dense(1, 2) predicts [mean, log variance], Adam 0.05, 500 steps:");
        output.WriteLine($"  {"",12}{"slope",10}{"intercept",11}");
        output.WriteLine($"  {"mean",12}{learned[0],10:F3}{learned[1],11:F3}   (truth 2, 1)");
        output.WriteLine($"  {"log var",12}{learned[2],10:F3}{learned[3],11:F3}   (truth 2, -1)");
        output.WriteLine($"  final NLL {nll:F4} (per point, without the constant log(2 pi)/2)");
        return new LossesResult(hinge, accuracy, inside, learned, nll);
    }
}
