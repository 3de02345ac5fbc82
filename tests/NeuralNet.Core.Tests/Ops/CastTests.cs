namespace NeuralNet.Tests.Ops;

using NeuralNet;

/// <summary>
/// A dtype cast is an op: gradients flow through it back in the input's dtype, tangents through it in the output's,
/// and its rules nest. Expected values are PyTorch's (the cast is the identity on values that float32 holds exactly).
/// </summary>
public class CastTests
{
    [Fact]
    public void TheGradientFlowsThroughACastToFloat32()
    {
        // PyTorch: x = tensor([1., 2., 3.], dtype=float64, requires_grad=True); x.to(float32).square().sum().backward()
        // gives x.grad = [2., 4., 6.] in float64.
        Tensor x = Tensor.FromArray([1.0, 2.0, 3.0]);
        Tensor g = Autodiff.Grad(v => v.To(DType.Float32).Square().Sum(), x);
        g.DType.Should().Be(DType.Float64);
        g.ToArray<double>().Should().Equal(2, 4, 6);
    }

    [Fact]
    public void TheGradientIsTheFloat32DerivativeWidenedExactly()
    {
        // d/dx Σ sin(float32(x)) = cos(float32(x)) computed in float32, then widened: no float64 rounding on the way back.
        Tensor x = Tensor.FromArray([0.1, -1.3, 2.7]);
        double[] g = Autodiff.Grad(v => v.To(DType.Float32).Sin().Sum(), x).ToArray<double>();
        double[] expected = [.. x.ToArray<double>().Select(v => (double)MathF.Cos((float)v))];
        for (int i = 0; i < g.Length; i++)
        {
            g[i].Should().BeApproximately(expected[i], 2e-7, "float32 cosine, a few ulps");
            ((double)(float)g[i]).Should().Be(g[i], "the cotangent was computed in float32 and widened exactly");
        }
    }

    [Fact]
    public void ABackwardPassIntoAFloat64ParameterThroughFloat32GivesAFloat64Grad()
    {
        var w = new Parameter(Tensor.FromArray([0.5, -2.0]), "w");
        using var tape = Tape.Record();
        Tensor loss = (w.To(DType.Float32) * Tensor.FromArray([3.0, 4.0]).To(DType.Float32)).Sum();
        loss.DType.Should().Be(DType.Float32);
        tape.Backward(loss);
        w.Grad!.DType.Should().Be(DType.Float64);
        w.Grad.ToArray<double>().Should().Equal(3, 4);
    }

    [Fact]
    public void FloatToDoubleAndBackIsTheIdentityInBothModes()
    {
        Tensor x = Tensor.FromArray([0.25, -1.5, 8.0]).To(DType.Float32);
        static Tensor F(Tensor v) => (v.To(DType.Float64) * 3.0).To(DType.Float32);

        Tensor grad = Autodiff.Vjp(F, x).Pullback(Tensor.Ones([3]));
        grad.DType.Should().Be(DType.Float32);
        grad.ToArray<float>().Should().Equal(3, 3, 3);

        var (value, tangent) = Autodiff.Jvp(F, x, Tensor.FromArray([1.0, 2.0, -1.0]).To(DType.Float32));
        value.ToArray<float>().Should().Equal(0.75f, -4.5f, 24f);
        tangent.DType.Should().Be(DType.Float32);
        tangent.ToArray<float>().Should().Equal(3, 6, -3);
    }

    [Fact]
    public void SecondDerivativesGoThroughTheCast()
    {
        // f(x) = Σ float32(x)³: f″(x) = 6x, by reverse-over-reverse and by forward-over-reverse, in float64 at the input.
        Tensor x = Tensor.FromArray([1.0, -2.0]);
        static Tensor F(Tensor v) => v.To(DType.Float32).Pow(3.0).Sum();
        Tensor hv = Autodiff.HessianVectorProduct(F, x, Tensor.Ones([2], DType.Float64));
        hv.DType.Should().Be(DType.Float64);
        hv.ToArray<double>().Should().Equal(6, -12);
        Autodiff.Grad((Tensor u) => Autodiff.Grad(F, u).Sum(), x).ToArray<double>().Should().Equal(6, -12);
    }

    [Fact]
    public void TheSameDTypeIsTheTensorItselfAndDetachStillStopsGradients()
    {
        Tensor x = Tensor.FromArray([1.0, 2.0]);
        x.To(DType.Float64).Should().BeSameAs(x);
        Autodiff.Grad(v => v.To(DType.Float64).Square().Sum(), x).ToArray<double>().Should().Equal(2, 4);
        Autodiff.Grad(v => v.Detach().To(DType.Float32).Square().Sum(), x).ToArray<double>().Should().Equal(0, 0);
    }

    [Fact]
    public void NarrowingRoundsToNearest()
    {
        Tensor.FromArray([0.1, 1.0 / 3, 1e-40, 3.5e38]).To(DType.Float32).ToArray<float>()
            .Should().Equal(0.1f, 1f / 3, (float)1e-40, float.PositiveInfinity);
    }
}
