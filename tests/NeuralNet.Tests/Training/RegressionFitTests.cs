namespace NeuralNet.Tests.Training;

using NeuralNet;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Optimizers;
using NeuralNet.Training;

public class RegressionFitTests
{
    [Fact]
    public void LinearRegressionByMeanSquaredErrorReachesTheNormalEquationSolution()
    {
        // y = 3x₁ − 2x₂ + 1 plus noise, so the least-squares fit is not (3, −2, 1) itself: it is what the normal
        // equations [X 1]ᵀ[X 1] θ = [X 1]ᵀy give, solved here in plain doubles.
        const int n = 40;
        double[,] x = TrainingData.Uniform(n, 2, seed: 7);
        var noise = new Random(8);
        double[] y = [.. Enumerable.Range(0, n).Select(i => 3 * x[i, 0] - 2 * x[i, 1] + 1 + 0.2 * (noise.NextDouble() - 0.5))];
        double[] theta = LeastSquares(x, y);
        double residual = Enumerable.Range(0, n).Average(i => Math.Pow(y[i] - (theta[0] * x[i, 0] + theta[1] * x[i, 1] + theta[2]), 2));

        var model = new Dense(2, 1, dtype: DType.Float64, seed: 1);
        FitResult result = Trainer.Fit(
            model, new GradientDescent(model.Parameters, learningRate: 0.5), new TensorDataset(Tensor.FromArray(x), TrainingData.Column(y)),
            TrainingData.Mse, new FitOptions { Epochs = 400, BatchSize = n, Shuffle = false });

        double[] learned = [.. model.Weight.ToArray<double>(), .. model.Bias!.ToArray<double>()];
        learned.Should().Equal(theta, (a, b) => Math.Abs(a - b) < 1e-9);
        theta.Should().NotEqual(new[] { 3.0, -2.0, 1.0 }, "the noise moves the least-squares solution off the generating one");
        result.History[^1].TrainLoss.Should().BeApproximately(residual, 1e-12);
        result.History.Should().OnlyContain(r => r.TrainAccuracy == null && r.ValidationLoss == null && r.ValidationAccuracy == null);
        result.History[^1].ToString().Should().NotContain("accuracy");
    }

    [Fact]
    public void SeveralOutputsPerExampleAreLearnedTogether()
    {
        // Two exact linear targets: (x₁ + x₂, x₁ − 2x₂ + 0.5), so the weights are [[1, 1], [1, −2]] and the bias [0, 0.5].
        const int n = 30;
        double[,] x = TrainingData.Uniform(n, 2, seed: 3);
        var targets = new double[n, 2];
        for (int i = 0; i < n; i++)
        {
            targets[i, 0] = x[i, 0] + x[i, 1];
            targets[i, 1] = x[i, 0] - 2 * x[i, 1] + 0.5;
        }

        var model = new Dense(2, 2, dtype: DType.Float64, seed: 2);
        Trainer.Fit(
            model, new GradientDescent(model.Parameters, learningRate: 0.5), new TensorDataset(Tensor.FromArray(x), Tensor.FromArray(targets)),
            TrainingData.Mse, new FitOptions { Epochs = 600, BatchSize = n, Shuffle = false });

        model.Weight.ToArray<double>().Should().Equal(new[] { 1.0, 1.0, 1.0, -2.0 }, (a, b) => Math.Abs(a - b) < 1e-6);
        model.Bias!.ToArray<double>().Should().Equal(new[] { 0.0, 0.5 }, (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public void ProbabilityTargetsAreMatchedBySoftCrossEntropy()
    {
        // Every example has the same input and the same target distribution p, so cross-entropy is least where the
        // model's softmax is p itself.
        double[] p = [0.2, 0.3, 0.5];
        const int n = 6;
        var targets = new double[n, 3];
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < 3; k++)
            {
                targets[i, k] = p[k];
            }
        }

        var model = new Dense(1, 3, dtype: DType.Float64, seed: 4);
        var data = new TensorDataset(Tensor.Ones([n, 1], DType.Float64), Tensor.FromArray(targets));
        Trainer.Fit(
            model, new GradientDescent(model.Parameters, learningRate: 1.0), data,
            (logits, probabilities) => Losses.CrossEntropy(logits, probabilities), new FitOptions { Epochs = 500, BatchSize = 4 });

        double[] predicted = model.Forward(Tensor.Ones([1, 1], DType.Float64)).Softmax().ToArray<double>();
        predicted.Should().Equal(p, (a, b) => Math.Abs(a - b) < 1e-6);
    }

    /// <summary>θ minimising ‖[x 1]θ − y‖², by the normal equations and Gaussian elimination with partial pivoting.</summary>
    private static double[] LeastSquares(double[,] x, double[] y)
    {
        int n = y.Length, k = x.GetLength(1) + 1;
        double Feature(int row, int column) => column < k - 1 ? x[row, column] : 1.0;
        var a = new double[k, k + 1];
        for (int r = 0; r < k; r++)
        {
            for (int c = 0; c < k; c++)
            {
                a[r, c] = Enumerable.Range(0, n).Sum(i => Feature(i, r) * Feature(i, c));
            }

            a[r, k] = Enumerable.Range(0, n).Sum(i => Feature(i, r) * y[i]);
        }

        for (int col = 0; col < k; col++)
        {
            int pivot = Enumerable.Range(col, k - col).MaxBy(r => Math.Abs(a[r, col]));
            for (int c = 0; c <= k; c++)
            {
                (a[col, c], a[pivot, c]) = (a[pivot, c], a[col, c]);
            }

            for (int r = 0; r < k; r++)
            {
                if (r != col)
                {
                    double factor = a[r, col] / a[col, col];
                    for (int c = col; c <= k; c++)
                    {
                        a[r, c] -= factor * a[col, c];
                    }
                }
            }
        }

        return [.. Enumerable.Range(0, k).Select(r => a[r, k] / a[r, r])];
    }
}
