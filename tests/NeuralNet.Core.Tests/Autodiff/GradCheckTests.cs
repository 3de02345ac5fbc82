namespace NeuralNet.Tests.Autodiff;

using NeuralNet;

/// <summary>GradCheck itself: it passes right derivatives, catches wrong ones and refuses float32.</summary>
public class GradCheckTests
{
    private static readonly Tensor X = Tensor.FromArray([0.5, -1.5, 2.0], 3);

    [Fact]
    public void PassesACorrectDerivative()
    {
        GradCheckResult result = Autodiff.GradCheck(x => x * x.Sin(), X);
        result.Passed.Should().BeTrue(result.ToString());
        result.MaxError.Should().BeLessThan(1e-8);
    }

    [Fact]
    public void CatchesAWrongDerivative()
    {
        // Forward is x², but the detached factor is a constant to AD, so both modes give x·w where finite
        // differences give 2x·w (w the random cotangent or tangent element): an error of |xw| / max(1, 2|xw|),
        // at most 1/2, and 1/2 wherever |2xw| ≥ 1.
        GradCheckResult result = Autodiff.GradCheck(x => x.Detach() * x, X);
        result.Passed.Should().BeFalse();
        result.VjpErrors[0].Should().BeInRange(0.1, 0.5 + 1e-9);
        result.JvpErrors[0].Should().BeInRange(0.1, 0.5 + 1e-9);
        result.ToString().Should().Contain("FAILED").And.Contain("input 0");
    }

    [Fact]
    public void ReportsEachInputSeparately()
    {
        // Only b's derivative is wrong (a is detached where b is not).
        Tensor a = Tensor.FromArray([1.0, 2.0], 2);
        Tensor b = Tensor.FromArray([3.0, -4.0], 2);
        GradCheckResult result = Autodiff.GradCheck(xs => xs[0] * xs[1].Detach() * xs[1], [a, b]);
        result.VjpErrors[0].Should().BeLessThan(1e-8);
        result.JvpErrors[0].Should().BeLessThan(1e-8);
        result.JvpErrors[1].Should().BeGreaterThan(0.1);
        result.Passed.Should().BeFalse();
    }

    [Fact]
    public void RefusesFloat32InputsNamingTheInput()
    {
        Tensor good = Tensor.Ones([2], DType.Float64);
        Tensor bad = Tensor.Ones([2, 3], DType.Float32);
        Action act = () => Autodiff.GradCheck(xs => xs[0] + xs[1], [good, bad]);
        act.Should().Throw<ArgumentException>().WithMessage("*input 1*[2,3]*Float32*");
    }
}
