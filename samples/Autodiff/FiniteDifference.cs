using NeuralNet;

namespace AutodiffSample;

/// <summary>The numerical reference: a central difference, exact up to O(h²) truncation and round-off.</summary>
internal static class FiniteDifference
{
    /// <summary>h ≈ ∛ε for Float64, which balances truncation (h²) against round-off (ε/h).</summary>
    public const double Step = 1e-5;

    /// <summary>(f(x + h) − f(x − h)) / 2h for a scalar function of a scalar.</summary>
    public static double Central(Func<Tensor, Tensor> f, double x) =>
        (Eval(f, x + Step) - Eval(f, x - Step)) / (2 * Step);

    /// <summary>∂f/∂xᵢ by a central difference in input <paramref name="i"/> of a scalar function of scalars.</summary>
    public static double Central(Func<Tensor[], Tensor> f, double[] xs, int i)
    {
        double[] plus = [.. xs], minus = [.. xs];
        plus[i] += Step;
        minus[i] -= Step;
        return (Eval(f, plus) - Eval(f, minus)) / (2 * Step);
    }

    private static double Eval(Func<Tensor, Tensor> f, double x) => f(Tensor.Scalar(x, DType.Float64)).Item();

    private static double Eval(Func<Tensor[], Tensor> f, double[] xs) =>
        f([.. xs.Select(v => Tensor.Scalar(v, DType.Float64))]).Item();
}
