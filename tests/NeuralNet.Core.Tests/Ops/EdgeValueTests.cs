namespace NeuralNet.Tests.Ops;

using NeuralNet;

/// <summary>Values at the edges of the ops' domains, against the exact answer and PyTorch's.</summary>
public class EdgeValueTests
{
    private static double[] Points(double low, double high, int count) =>
        [.. Enumerable.Range(0, count).Select(i => low + ((high - low) * i / (count - 1)))];

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void Expm1AndEluNeverGoBelowMinusOne(DType dtype)
    {
        // eˣ − 1 for x in [−110, −85] is −1 + (at most 1.2e−37): −1 in float32, and never below −1 in either dtype.
        Tensor x = Tensor.FromArray(Points(-110, -85, 251)).To(dtype);
        x.Expm1().ToArray<double>().Should().OnlyContain(v => v >= -1 && v <= -1 + 1e-36);
        x.Elu().ToArray<double>().Should().OnlyContain(v => v >= -1 && v <= -1 + 1e-36);
        if (dtype == DType.Float32)
        {
            x.Expm1().ToArray<float>().Should().OnlyContain(v => v == -1f);
        }
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void Log1pBelowMinusOneIsNaN(DType dtype)
    {
        // IEEE and PyTorch: log1p(−∞) = log1p(−2) = NaN, log1p(−1) = −∞, log1p(+∞) = +∞.
        double[] values = Tensor.FromArray([double.NegativeInfinity, -2, -1, double.PositiveInfinity, -1.5, -3, -7, -1e30, -1e300])
            .To(dtype).Log1p().ToArray<double>();
        double.IsNaN(values[0]).Should().BeTrue();
        double.IsNaN(values[1]).Should().BeTrue();
        values[2].Should().Be(double.NegativeInfinity);
        values[3].Should().Be(double.PositiveInfinity);
        values[4..].Should().OnlyContain(v => double.IsNaN(v), "below −1 in the vector lanes too");
    }

    [Fact]
    public void EluHasGradientOneAtPlusInfinityAndZeroAtMinusInfinity()
    {
        // PyTorch: elu's gradient is 1 for x > 0 (also at +∞) and α·eˣ → 0 as x → −∞.
        Tensor x = Tensor.FromArray([double.PositiveInfinity, double.NegativeInfinity, 1e308, -800]);
        Autodiff.Grad(v => v.Elu(0.5).Sum(), x).ToArray<double>().Should().Equal(1, 0, 1, 0);
        Autodiff.Jvp(v => v.Elu(0.5), x, Tensor.OnesLike(x)).Tangent.ToArray<double>().Should().Equal(1, 0, 1, 0);
    }
}
