using NeuralNet;
using NeuralNet.Layers;
using NeuralNet.Optimizers;

namespace ClassicSample;

/// <summary>One least-squares fit: gradient descent against the normal equations, in standardized units.</summary>
/// <param name="Lambda">The L2 penalty λ on the weights (not the bias).</param>
/// <param name="GradientDescent">[b, w₁, w₂] after gradient descent.</param>
/// <param name="NormalEquations">[b, w₁, w₂] solving the normal equations.</param>
/// <param name="MaxDifference">The largest |difference| between the two.</param>
/// <param name="Loss">The mean squared error (without the penalty) at the gradient-descent solution.</param>
public sealed record LeastSquaresFit(double Lambda, double[] GradientDescent, double[] NormalEquations, double MaxDifference, double Loss);

/// <summary>What the linear-regression demo found.</summary>
/// <param name="Plain">The unregularised fit.</param>
/// <param name="Ridge">The fit with λ‖w‖².</param>
/// <param name="OriginalUnits">The plain fit's [b, w₁, w₂] mapped back to the raw features (truth: 1, 3, −2).</param>
public sealed record LinearRegressionResult(LeastSquaresFit Plain, LeastSquaresFit Ridge, double[] OriginalUnits);

/// <summary>
/// Least squares by gradient descent on y = 3x₁ − 2x₂ + 1 + noise, compared with the closed-form solution of the
/// normal equations (AᵀA + nλD)θ = Aᵀy, A = [1, x₁, x₂], D = diag(0, 1, 1), solved with plain doubles.
/// </summary>
public static class LinearRegressionDemo
{
    /// <summary>Examples in the synthetic set.</summary>
    public const int Count = 200;

    /// <summary>Gradient-descent steps per fit.</summary>
    public const int Steps = 500;

    /// <summary>The L2 penalty of the second fit.</summary>
    public const double Lambda = 0.1;

    /// <summary>Runs the demo, printing to <paramref name="output"/>.</summary>
    public static LinearRegressionResult Run(TextWriter output)
    {
        // x₁ ~ N(5, 2²), x₂ ~ N(−1, 0.5²), noise ~ N(0, 0.5²): deliberately unscaled features.
        Tensor x1 = Tensor.RandomNormal([Count, 1], seed: 1, mean: 5, std: 2, dtype: DType.Float64);
        Tensor x2 = Tensor.RandomNormal([Count, 1], seed: 2, mean: -1, std: 0.5, dtype: DType.Float64);
        Tensor noise = Tensor.RandomNormal([Count, 1], seed: 3, std: 0.5, dtype: DType.Float64);
        Tensor raw = Tensor.Concatenate([x1, x2], axis: 1);
        Tensor y = (3.0 * x1) - (2.0 * x2) + 1.0 + noise;
        var scaler = new Standardizer(raw);
        Tensor x = scaler.Apply(raw);

        output.WriteLine($"y = 3 x1 - 2 x2 + 1 + N(0, 0.5^2), {Count} points, features standardized; {Steps} steps of gradient descent, rate 0.1");
        output.WriteLine($"  {"",-36}{"b",12}{"w1",12}{"w2",12}{"MSE",12}");
        LeastSquaresFit plain = Fit(x, y, 0, output);
        LeastSquaresFit ridge = Fit(x, y, Lambda, output);

        // Back to the raw features: y = b + Σ wⱼ(xⱼ − μⱼ)/σⱼ.
        double[] mu = scaler.Mean.ToArray<double>(), sigma = scaler.StandardDeviation.ToArray<double>();
        double[] g = plain.GradientDescent;
        double[] original = [g[0] - (g[1] * mu[0] / sigma[0]) - (g[2] * mu[1] / sigma[1]), g[1] / sigma[0], g[2] / sigma[1]];
        output.WriteLine($"  {"plain fit in raw units",-36}{original[0],12:F6}{original[1],12:F6}{original[2],12:F6}   (truth 1, 3, -2)");
        output.WriteLine($"  L2 shrinks w1 by {ridge.GradientDescent[1] / plain.GradientDescent[1]:F4}, close to 1/(1 + lambda) = {1 / (1 + Lambda):F4} (nearly uncorrelated features)");
        return new LinearRegressionResult(plain, ridge, original);
    }

    private static LeastSquaresFit Fit(Tensor x, Tensor y, double lambda, TextWriter output)
    {
        int features = x.Shape[1];
        var w = new Parameter(Tensor.Zeros([features, 1], DType.Float64), "w");
        var b = new Parameter(Tensor.Zeros([1], DType.Float64), "b");
        var optimizer = new GradientDescent([w, b], learningRate: 0.1);
        for (int step = 0; step < Steps; step++)
        {
            optimizer.ZeroGrad();
            using (var tape = Tape.Record())
            {
                Tensor loss = Losses.MeanSquaredError(x.MatMul(w) + b, y);
                if (lambda > 0)
                {
                    loss += Regularization.L2([w], lambda);
                }

                tape.Backward(loss);
            }

            optimizer.Step();
        }

        double mse = Losses.MeanSquaredError(x.MatMul(w) + b, y).Item();
        double[] descent = [b.Item(), .. w.ToArray<double>()];
        double[] exact = NormalEquations(x, y, lambda);
        double difference = descent.Zip(exact, (p, q) => Math.Abs(p - q)).Max();
        string label = lambda > 0 ? $"L2 lambda = {lambda}" : "no penalty";
        output.WriteLine($"  {$"{label}, gradient descent",-36}{descent[0],12:F6}{descent[1],12:F6}{descent[2],12:F6}{mse,12:F6}");
        output.WriteLine($"  {$"{label}, normal equations",-36}{exact[0],12:F6}{exact[1],12:F6}{exact[2],12:F6}   max |difference| {difference:E1}");
        return new LeastSquaresFit(lambda, descent, exact, difference, mse);
    }

    /// <summary>
    /// Solves (AᵀA + nλD)θ = Aᵀy for θ = [b, w…], A = [1, x], by Gaussian elimination with partial pivoting: the
    /// minimiser of (1/n)‖Aθ − y‖² + λ‖w‖², which sets its gradient (2/n)Aᵀ(Aθ − y) + 2λDθ to zero.
    /// </summary>
    public static double[] NormalEquations(Tensor x, Tensor y, double lambda)
    {
        int n = x.Shape[0], k = x.Shape[1] + 1;
        double[] xs = x.ToArray<double>(), ys = y.ToArray<double>();
        var m = new double[k, k + 1];
        for (int r = 0; r < n; r++)
        {
            double[] a = [1.0, .. xs.AsSpan(r * (k - 1), k - 1)];
            for (int i = 0; i < k; i++)
            {
                for (int j = 0; j < k; j++)
                {
                    m[i, j] += a[i] * a[j];
                }

                m[i, k] += a[i] * ys[r];
            }
        }

        for (int i = 1; i < k; i++)
        {
            m[i, i] += n * lambda;
        }

        for (int c = 0; c < k; c++)
        {
            int pivot = c;
            for (int r = c + 1; r < k; r++)
            {
                pivot = Math.Abs(m[r, c]) > Math.Abs(m[pivot, c]) ? r : pivot;
            }

            for (int j = 0; j <= k; j++)
            {
                (m[c, j], m[pivot, j]) = (m[pivot, j], m[c, j]);
            }

            for (int r = 0; r < k; r++)
            {
                if (r != c)
                {
                    double f = m[r, c] / m[c, c];
                    for (int j = c; j <= k; j++)
                    {
                        m[r, j] -= f * m[c, j];
                    }
                }
            }
        }

        return [.. Enumerable.Range(0, k).Select(i => m[i, k] / m[i, i])];
    }
}
