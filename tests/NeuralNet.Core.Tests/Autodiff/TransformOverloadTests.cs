using FluentAssertions;
using Xunit;

namespace NeuralNet.Tests.Autodiff;

/// <summary>
/// The transforms' overloads: a lambda whose body would compile for a tensor and for an array of tensors (LINQ's
/// <c>Max</c>) binds to the one-input form; several inputs are passed by arity or as one explicit array.
/// </summary>
public sealed class TransformOverloadTests
{
    private static readonly Tensor X = Tensor.FromArray([1.0, 5.0, 2.0]);

    [Fact]
    public void ALambdaThatAlsoFitsAnArrayIsTheOneInputForm()
    {
        // d/dx max(x) is the one-hot of the arg-max.
        Tensor g = NeuralNet.Autodiff.Grad(v => v.Max(), X);
        g.ToArray<double>().Should().Equal(0, 1, 0);

        var (value, gradient) = NeuralNet.Autodiff.ValueAndGrad(v => v.Max(), X);
        value.Item().Should().Be(5);
        gradient.ToArray<double>().Should().Equal(0, 1, 0);

        var (_, pullback) = NeuralNet.Autodiff.Vjp(v => v.Max(), X);
        pullback(Tensor.Scalar(3.0, DType.Float64)).ToArray<double>().Should().Equal(0, 3, 0);

        NeuralNet.Autodiff.Jacobian(v => v.Max(), X).ToArray<double>().Should().Equal(0, 1, 0);
        NeuralNet.Autodiff.GradCheck(v => v.Max(), X).Passed.Should().BeTrue();
    }

    [Fact]
    public void TwoAndThreeInputFormsGiveEachPartialDerivative()
    {
        var a = Tensor.Scalar(3.0, DType.Float64);
        var b = Tensor.Scalar(-2.0, DType.Float64);
        var c = Tensor.Scalar(0.5, DType.Float64);

        // f(a, b) = a²·b: ∂a = 2ab = −12, ∂b = a² = 9.
        var (da, db) = NeuralNet.Autodiff.Grad((p, q) => p * p * q, a, b);
        (da.Item(), db.Item()).Should().Be((-12.0, 9.0));

        // g(a, b, c) = a·b + c³: ∂a = b, ∂b = a, ∂c = 3c² = 0.75; g = −6 + 0.125.
        var (value, (ga, gb, gc)) = NeuralNet.Autodiff.ValueAndGrad((p, q, r) => p * q + r * r * r, a, b, c);
        value.Item().Should().Be(-5.875);
        (ga.Item(), gb.Item(), gc.Item()).Should().Be((-2.0, 3.0, 0.75));

        // The pullback scales by the cotangent.
        var (_, pullback) = NeuralNet.Autodiff.Vjp((p, q) => p * q, a, b);
        var (ua, ub) = pullback(Tensor.Scalar(10.0, DType.Float64));
        (ua.Item(), ub.Item()).Should().Be((-20.0, 30.0));
    }

    [Fact]
    public void TheListFormTakesAnExplicitArray()
    {
        var a = Tensor.FromArray([1.0, 2.0]);
        var b = Tensor.FromArray([3.0, 4.0]);

        // Σ aᵢbᵢ: ∂a = b, ∂b = a.
        Tensor[] g = NeuralNet.Autodiff.Grad(v => (v[0] * v[1]).Sum(), [a, b]);
        g[0].ToArray<double>().Should().Equal(3, 4);
        g[1].ToArray<double>().Should().Equal(1, 2);
    }

    [Fact]
    public void AnArityFormRefusesANullFunction()
    {
        FluentActions.Invoking(() => NeuralNet.Autodiff.Grad((Func<Tensor, Tensor, Tensor>)null!, X, X))
            .Should().Throw<ArgumentNullException>().WithParameterName("f");
    }
}
