namespace NeuralNet.Tests.Autodiff;

using NeuralNet;

/// <summary>The lecture notes' worked examples, against hand-derived derivatives, in both modes.</summary>
public class WorkedExampleTests
{
    private static Tensor F1(Tensor x) => (x * x + (x * x).Exp()).Sqrt();

    private static Tensor F2(Tensor x) => (x * x).Sin().Exp();

    [Theory]
    [InlineData(0.7)]
    [InlineData(-1.3)]
    [InlineData(0.0)]
    public void SqrtOfSquarePlusExpSquare(double at)
    {
        var x = Tensor.Scalar(at, DType.Float64);
        double f = Math.Sqrt(at * at + Math.Exp(at * at));
        double expected = at * (1 + Math.Exp(at * at)) / f;

        Autodiff.Grad(F1, x).Item().Should().BeApproximately(expected, 1e-14);
        var (value, tangent) = Autodiff.Jvp(F1, x, Tensor.OnesLike(x));
        value.Item().Should().BeApproximately(f, 1e-14);
        tangent.Item().Should().BeApproximately(expected, 1e-14);
    }

    [Theory]
    [InlineData(0.7)]
    [InlineData(-2.1)]
    public void ExpOfSinOfSquare(double at)
    {
        var x = Tensor.Scalar(at, DType.Float64);
        double expected = 2 * at * Math.Cos(at * at) * Math.Exp(Math.Sin(at * at));

        Autodiff.Grad(F2, x).Item().Should().BeApproximately(expected, 1e-13);
        Autodiff.Jvp(F2, x, Tensor.OnesLike(x)).Tangent.Item().Should().BeApproximately(expected, 1e-13);
    }

    [Fact]
    public void XTimesYPlusZWithUpstreamGradient()
    {
        var x = Tensor.Scalar(-2, DType.Float64);
        var y = Tensor.Scalar(3, DType.Float64);
        var z = Tensor.Scalar(-4, DType.Float64);
        var (value, pullback) = Autodiff.Vjp((a, b, c) => a * b + c, x, y, z);

        value.Item().Should().Be(-10);
        var (gx, gy, gz) = pullback(Tensor.Scalar(-2, DType.Float64));
        Tensor[] grads = [gx, gy, gz];
        grads.Select(g => g.Item()).Should().Equal(-6, 4, -2);

        // Forward mode, one input direction at a time, scaled by the same upstream gradient.
        for (int i = 0; i < 3; i++)
        {
            Tensor[] basis = [.. Enumerable.Range(0, 3).Select(j => Tensor.Scalar(j == i ? 1 : 0, DType.Float64))];
            var (_, tangent) = Autodiff.Jvp(v => v[0] * v[1] + v[2], [x, y, z], basis);
            (-2 * tangent.Item()).Should().Be(grads[i].Item());
        }
    }
}
