using NeuralNet;

namespace AutodiffSample;

/// <summary>The worked examples of the lecture notes and their hand-derived derivatives.</summary>
internal static class WorkedExamples
{
    /// <summary>f(x) = √(x² + exp(x²)); f′(x) = x(1 + exp(x²)) / f(x).</summary>
    private static Tensor SqrtExp(Tensor x) => (x * x + (x * x).Exp()).Sqrt();

    /// <summary>f(x) = exp(sin(x²)); f′(x) = 2x cos(x²) exp(sin(x²)).</summary>
    private static Tensor ExpSin(Tensor x) => (x * x).Sin().Exp();

    /// <summary>f(x, y, z) = x·y + z; ∂f/∂x = y, ∂f/∂y = x, ∂f/∂z = 1.</summary>
    private static Tensor XyPlusZ(Tensor[] v) => v[0] * v[1] + v[2];

    public static IEnumerable<DerivativeRow> Rows()
    {
        foreach (double x in (double[])[0.7, -1.3])
        {
            double f = Math.Sqrt(x * x + Math.Exp(x * x));
            yield return Scalar("sqrt(x²+exp(x²))", SqrtExp, x, hand: x * (1 + Math.Exp(x * x)) / f);
        }

        foreach (double x in (double[])[0.7, -2.1])
        {
            yield return Scalar("exp(sin(x²))", ExpSin, x, hand: 2 * x * Math.Cos(x * x) * Math.Exp(Math.Sin(x * x)));
        }

        foreach (DerivativeRow row in Upstream())
        {
            yield return row;
        }
    }

    /// <summary>A scalar function at one point: one JVP with tangent 1, one reverse-mode gradient, one central difference.</summary>
    private static DerivativeRow Scalar(string name, Func<Tensor, Tensor> f, double at, double hand)
    {
        Tensor x = Tensor.Scalar(at, DType.Float64);
        double forward = Autodiff.Jvp(f, x, Tensor.OnesLike(x)).Tangent.Item();
        double reverse = Autodiff.Grad(f, x).Item();
        return new DerivativeRow($"d/dx {name}", $"x={at}", hand, forward, reverse, FiniteDifference.Central(f, at));
    }

    /// <summary>
    /// f = x·y + z at x = −2, y = 3, z = −4, with upstream gradient ∂L/∂f = −2 (the notes' circuit):
    /// one VJP with cotangent −2 gives all three input gradients; forward mode needs one JVP per input.
    /// </summary>
    private static IEnumerable<DerivativeRow> Upstream()
    {
        double[] at = [-2, 3, -4];
        const double upstream = -2;
        Tensor[] xs = [.. at.Select(v => Tensor.Scalar(v, DType.Float64))];
        double[] hand = [upstream * at[1], upstream * at[0], upstream * 1];   // −6, 4, −2

        var (_, pullback) = Autodiff.Vjp(XyPlusZ, xs);
        Tensor[] reverse = pullback(Tensor.Scalar(upstream, DType.Float64));

        string[] names = ["x", "y", "z"];
        for (int i = 0; i < 3; i++)
        {
            Tensor[] basis = [.. Enumerable.Range(0, 3).Select(j => Tensor.Scalar(j == i ? 1 : 0, DType.Float64))];
            double forward = upstream * Autodiff.Jvp(XyPlusZ, xs, basis).Tangent.Item();
            double central = upstream * FiniteDifference.Central(XyPlusZ, at, i);
            yield return new DerivativeRow($"-2·d/d{names[i]} (xy+z)", "-2,3,-4", hand[i], forward, reverse[i].Item(), central);
        }
    }
}
