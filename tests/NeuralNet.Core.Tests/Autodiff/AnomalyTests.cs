namespace NeuralNet.Tests.Autodiff;

using NeuralNet;

public class AnomalyTests
{
    [Fact]
    public void NamesTheFirstOpThatTurnsFiniteValuesIntoNaN()
    {
        Tensor x = Tensor.FromArray([1.0, -1.0]);
        using (Autodiff.DetectAnomalies())
        {
            var act = () => (x * 2).Log().Sum();
            act.Should().Throw<ArithmeticException>().WithMessage("Log: produced NaN or infinity from finite inputs ([2]).");
        }

        // Outside the scope the same computation quietly gives NaN.
        double.IsNaN((x * 2).Log().Sum().Item()).Should().BeTrue();
    }

    [Fact]
    public void NamesTheOpWhoseDerivativeProducedIt()
    {
        // √x at 0 is finite, its derivative 0.5/√x is not: the Divide inside Sqrt's rule is reported.
        Tensor x = Tensor.FromArray([0.0, 4.0]);
        using var scope = Autodiff.DetectAnomalies();
        var act = () => Autodiff.Grad(v => v.Sqrt().Sum(), x);
        act.Should().Throw<ArithmeticException>().WithMessage("Divide: produced NaN or infinity*in the backward pass of Sqrt.");
    }

    [Fact]
    public void NaNThatWasAlreadyThereIsNotBlamedOnTheNextOp()
    {
        Tensor x = Tensor.FromArray([double.NaN, 1.0]);
        using var scope = Autodiff.DetectAnomalies();
        (x + 1).ToArray<double>()[1].Should().Be(2);
    }
}
