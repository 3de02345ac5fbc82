namespace NeuralNet.Tests.Ops;

using NeuralNet;

public class ComparisonTests
{
    [Fact]
    public void MasksAreZeroOrOneWithNaNComparingFalse()
    {
        Tensor a = Tensor.FromArray([1.0, 2, 3, double.NaN]), b = Tensor.FromArray([2.0, 2, 2, 0]);
        (a > b).ToArray<double>().Should().Equal(0, 0, 1, 0);
        (a < b).ToArray<double>().Should().Equal(1, 0, 0, 0);
        (a >= b).ToArray<double>().Should().Equal(0, 1, 1, 0);
        (a <= b).ToArray<double>().Should().Equal(1, 1, 0, 0);
        Tensor.Equal(a, b).ToArray<double>().Should().Equal(0, 1, 0, 0);
        (a > 1.5).ToArray<double>().Should().Equal(0, 1, 1, 0);
    }

    [Fact]
    public void ComparisonsBroadcastAndKeepTheDType()
    {
        Tensor m = Tensor.FromArray([1f, 5f], 2, 1) > Tensor.FromArray([0f, 2f, 6f]);
        m.Shape.Should().Be(new Shape(2, 3));
        m.DType.Should().Be(DType.Float32);
        m.ToArray<float>().Should().Equal(1, 0, 0, 1, 1, 0);
    }

    [Fact]
    public void WhereWithAComparisonBuildsAPiecewiseFunction()
    {
        // f(x) = x for x > 0, else 0.1x: a leaky ReLU; f′ = 1 or 0.1, and the mask itself carries no derivative.
        Tensor x = Tensor.FromArray([-2.0, 3.0]);
        Tensor Leaky(Tensor v) => Tensor.Where(v > 0, v, 0.1 * v);
        Leaky(x).ToArray<double>().Should().Equal(-0.2, 3.0);
        Autodiff.Grad(v => Leaky(v).Sum(), x).ToArray<double>().Should().Equal(0.1, 1.0);
        (x > 0).IsTracked.Should().BeFalse();
    }
}
