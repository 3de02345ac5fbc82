namespace NeuralNet.Tests.Autodiff;

using NeuralNet;

/// <summary>Nested transforms keep their perturbations apart (Siskind and Pearlmutter 2005; DiffSharp's tests).</summary>
public class NestingTests
{
    [Theory]
    [InlineData(1.0)]
    [InlineData(-3.5)]
    public void PerturbationConfusionIsAvoidedInReverseMode(double at)
    {
        // d/dx [ x · d/dy (x + y) ] = d/dx [ x · 1 ] = 1; confusing the two perturbations gives 2.
        var x = Tensor.Scalar(at, DType.Float64);
        Tensor result = Autodiff.Grad(
            u => u * Autodiff.Grad(y => u + y, Tensor.Scalar(0.5, DType.Float64)), x);
        result.Item().Should().Be(1);
    }

    [Fact]
    public void PerturbationConfusionIsAvoidedInForwardMode()
    {
        var x = Tensor.Scalar(2, DType.Float64);
        var one = Tensor.OnesLike(x);
        Tensor result = Autodiff.Jvp(
            u => u * Autodiff.Jvp(y => u + y, Tensor.Scalar(0.5, DType.Float64), one).Tangent, x, one).Tangent;
        result.Item().Should().Be(1);
    }

    [Theory]
    [InlineData(1.5)]
    [InlineData(-0.25)]
    public void ForwardInsideReverseAndReverseInsideForwardKeepTheirLevelsApart(double at)
    {
        // d/dx [x · d/dy (x·y)] = d/dx [x · x] = 2x, whichever mode each level uses.
        var x = Tensor.Scalar(at, DType.Float64);
        var y = Tensor.Scalar(0.7, DType.Float64);
        var one = Tensor.OnesLike(x);
        Autodiff.Grad(u => u * Autodiff.Jvp(w => u * w, y, one).Tangent, x).Item().Should().Be(2 * at);
        Autodiff.Jvp(u => u * Autodiff.Grad(w => u * w, y), x, one).Tangent.Item().Should().Be(2 * at);
    }

    [Theory]
    [InlineData(0.3)]
    [InlineData(2.0)]
    public void ThirdDerivativeOfSinIsMinusCos(double at)
    {
        var x = Tensor.Scalar(at, DType.Float64);
        Tensor d3 = Autodiff.Grad(a => Autodiff.Grad(b => Autodiff.Grad(c => c.Sin(), b), a), x);
        d3.Item().Should().BeApproximately(-Math.Cos(at), 1e-15);
    }

    [Fact]
    public void ForwardOverReverseGivesTheSecondDerivative()
    {
        // f(x) = x³ → f″(x) = 6x.
        var x = Tensor.Scalar(1.5, DType.Float64);
        var (_, second) = Autodiff.Jvp(a => Autodiff.Grad(b => b * b * b, a), x, Tensor.OnesLike(x));
        second.Item().Should().BeApproximately(9.0, 1e-14);
    }
}
