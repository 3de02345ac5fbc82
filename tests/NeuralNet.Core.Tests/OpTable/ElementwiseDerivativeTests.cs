namespace NeuralNet.Tests.OpTable;

using NeuralNet;

/// <summary>
/// The element-wise ops' derivatives against independent formulas written here with <see cref="Math"/> in double.
/// Their VJP and JVP both come from one <c>Derivative</c>, so the transpose identity cannot catch a derivative that
/// is wrong the same way in both modes, and finite differences only catch it to 1e-7; these catch it to rounding,
/// over hundreds of points including the hard regions (large |x|, near 0, near the singularities).
/// </summary>
public class ElementwiseDerivativeTests
{
    public static TheoryData<string> Ops() => [.. Cases.Keys];

    private static readonly Dictionary<string, (Func<Tensor, Tensor> F, Func<double, double> Derivative, double[] Points)> Cases = new()
    {
        ["Exp"] = (x => x.Exp(), Math.Exp, Range(-20, 20)),
        ["Log"] = (x => x.Log(), x => 1 / x, [.. Range(1e-3, 100), 1e-300, 1e300]),
        ["Log1p"] = (x => x.Log1p(), x => 1 / (1 + x), [.. Range(-0.9, 10), 1e-10, -1e-10, 1e-300]),
        ["Expm1"] = (x => x.Expm1(), Math.Exp, [.. Range(-20, 20), 1e-10, -1e-10]),
        ["Sqrt"] = (x => x.Sqrt(), x => 0.5 / Math.Sqrt(x), [.. Range(1e-4, 100), 1e-300]),
        ["Square"] = (x => x.Square(), x => 2 * x, Range(-1e3, 1e3)),
        ["Pow 2.5"] = (x => x.Pow(2.5), x => 2.5 * Math.Pow(x, 1.5), Range(1e-3, 10)),
        ["Pow -1.5"] = (x => x.Pow(-1.5), x => -1.5 * Math.Pow(x, -2.5), Range(1e-2, 10)),
        ["Sin"] = (x => x.Sin(), Math.Cos, Range(-10, 10)),
        ["Cos"] = (x => x.Cos(), x => -Math.Sin(x), Range(-10, 10)),
        ["Abs"] = (x => x.Abs(), x => Math.Sign(x), Range(-3, 3)),
        ["Tanh"] = (x => x.Tanh(), x => 1 / (Math.Cosh(x) * Math.Cosh(x)), [.. Range(-15, 15), 1e-10]),
        ["Sigmoid"] = (x => x.Sigmoid(), SigmoidDerivative, Range(-30, 30)),
        ["Softplus"] = (x => x.Softplus(), x => 1 / (1 + Math.Exp(-x)), Range(-30, 30)),
        ["Silu"] = (x => x.Silu(), x => (1 / (1 + Math.Exp(-x))) * (1 + (x * (1 - (1 / (1 + Math.Exp(-x)))))), Range(-30, 30)),
        ["Relu"] = (x => x.Relu(), x => x > 0 ? 1 : 0, Range(-3, 3)),
        ["LeakyRelu 0.2"] = (x => x.LeakyRelu(0.2), x => x > 0 ? 1 : 0.2, Range(-3, 3)),
        ["Elu 0.7"] = (x => x.Elu(0.7), x => x > 0 ? 1 : 0.7 * Math.Exp(x), Range(-20, 3)),
        ["Clamp -0.5 0.7"] = (x => x.Clamp(-0.5, 0.7), x => x > -0.5 && x < 0.7 ? 1 : 0, Range(-3, 3)),
    };

    [Theory]
    [MemberData(nameof(Ops))]
    public void ReverseModeIsTheIndependentDerivative(string op)
    {
        var (f, derivative, points) = Cases[op];
        Tensor x = Tensor.FromArray(points);
        ShouldMatch(op, "VJP", points, Autodiff.Grad(v => f(v).Sum(), x), derivative);
    }

    [Theory]
    [MemberData(nameof(Ops))]
    public void ForwardModeIsTheIndependentDerivative(string op)
    {
        var (f, derivative, points) = Cases[op];
        Tensor x = Tensor.FromArray(points);
        ShouldMatch(op, "JVP", points, Autodiff.Jvp(f, x, Tensor.OnesLike(x)).Tangent, derivative);
    }

    // Both sides are a few roundings from the exact derivative; 1e-15 absolute covers 1 − y² style cancellation
    // where the derivative is tiny (tanh at 15), 1e-12 relative covers the few ulps of each library function.
    private static void ShouldMatch(string op, string mode, double[] points, Tensor actual, Func<double, double> derivative)
    {
        double[] values = actual.ToArray<double>();
        for (int i = 0; i < points.Length; i++)
        {
            double expected = derivative(points[i]);
            Math.Abs(values[i] - expected).Should().BeLessThanOrEqualTo(
                (1e-12 * Math.Abs(expected)) + 1e-15, $"{op} {mode} at x = {points[i]:R}: {values[i]:R}, expected {expected:R}");
        }
    }

    // σ′(x) = e^{−|x|} / (1 + e^{−|x|})², symmetric and free of overflow.
    private static double SigmoidDerivative(double x)
    {
        double e = Math.Exp(-Math.Abs(x));
        return e / ((1 + e) * (1 + e));
    }

    // 401 points evenly over [low, high], nudged off the integers (and so off Relu's and Abs's kink at 0).
    private static double[] Range(double low, double high) =>
        [.. Enumerable.Range(0, 401).Select(i => low + ((high - low) * (i + 0.37) / 401.37))];
}
