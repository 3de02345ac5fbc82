namespace NeuralNet.Layers.Tests;

using NeuralNet;
using NeuralNet.Layers;

public class ActivationTests
{
    private static readonly Tensor X = TestHelpers.F64([-2, -0.5, 0.5, 3], 4);

    public static TheoryData<string, Module, double[]> Cases()
    {
        double[] x = [-2, -0.5, 0.5, 3];
        static double Sigma(double v) => 1 / (1 + Math.Exp(-v));
        return new()
        {
            { "ReLU", new ReLU(), [0, 0, 0.5, 3] },
            { "LeakyReLU", new LeakyReLU(0.1), [-0.2, -0.05, 0.5, 3] },
            { "ELU", new ELU(2), [2 * (Math.Exp(-2) - 1), 2 * (Math.Exp(-0.5) - 1), 0.5, 3] },
            { "Sigmoid", new Sigmoid(), [.. x.Select(Sigma)] },
            { "Tanh", new Tanh(), [.. x.Select(Math.Tanh)] },
            { "SiLU", new SiLU(), [.. x.Select(v => v * Sigma(v))] },
            { "Identity", new Identity(), x },
        };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ForwardMatchesTheFormulaAndHasNoParameters(string name, Module activation, double[] expected)
    {
        activation.Parameters.Should().BeEmpty(name);
        activation.Forward(X).ShouldEqual(expected, 1e-15);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void GradientsPassGradCheck(string name, Module activation, double[] expected)
    {
        _ = expected;
        GradCheckResult result = Autodiff.GradCheck(activation.Forward, X);
        result.Passed.Should().BeTrue($"{name}: {result}");
    }

    [Fact]
    public void SoftmaxRowsSumToOneAlongTheChosenAxis()
    {
        // Softmax of [0, ln 2, ln 3] is [1, 2, 3]/6.
        Tensor logits = TestHelpers.F64([0, Math.Log(2), Math.Log(3), 0, 0, 0], 2, 3);
        new Softmax().Forward(logits).ShouldEqual([1 / 6.0, 2 / 6.0, 3 / 6.0, 1 / 3.0, 1 / 3.0, 1 / 3.0], 1e-15, shape: [2, 3]);
        new Softmax(axis: 0).Forward(logits).ShouldEqual([0.5, 2 / 3.0, 0.75, 0.5, 1 / 3.0, 0.25], 1e-15, shape: [2, 3]);
        Autodiff.GradCheck(new Softmax().Forward, logits).Passed.Should().BeTrue();
    }

    [Fact]
    public void ToStringShowsSettings()
    {
        new ReLU().ToString().Should().Be("ReLU()");
        new LeakyReLU(0.2).ToString().Should().Be("LeakyReLU(alpha=0.2)");
        new ELU().ToString().Should().Be("ELU(alpha=1)");
        new Softmax().ToString().Should().Be("Softmax(axis=-1)");
        new Identity().ToString().Should().Be("Identity()");
    }

    [Fact]
    public void NonFiniteAlphaIsRefused()
    {
        FluentActions.Invoking(() => new LeakyReLU(double.NaN)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("LeakyReLU: alpha NaN*");
        FluentActions.Invoking(() => new ELU(double.PositiveInfinity)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("ELU: alpha*");
    }
}
