namespace NeuralNet.Optimizers.Tests;

using NeuralNet;
using NeuralNet.Optimizers;

public class GradientClippingTests
{
    /// <summary>A parameter whose Grad is filled by a backward pass, so it lives in the parameter's own buffer.</summary>
    private static Parameter WithGradient(double[] gradient)
    {
        var p = new Parameter(Tensor.Zeros([gradient.Length], DType.Float64));
        using (var tape = Tape.Record())
        {
            tape.Backward((p * Tensor.FromArray(gradient, gradient.Length)).Sum());
        }

        return p;
    }

    [Fact]
    public void TheTotalTwoNormIsThatOfAllGradientsAsOneVectorAndScalesThemTogether()
    {
        // ‖(3, 4, 12)‖ = 13 across two parameters; max 6.5 scales by 6.5 / (13 + 1e-6).
        Parameter a = WithGradient([3, 4]), b = WithGradient([12]);
        double norm = GradientClipping.ClipNorm([a, b], maxNorm: 6.5);
        norm.Should().Be(13);
        double c = 6.5 / (13 + 1e-6);
        a.Grad!.ToArray<double>().Should().Equal(3 * c, 4 * c);
        b.Grad!.ToArray<double>().Should().Equal(12 * c);
    }

    [Fact]
    public void GradientsWithinTheLimitAreLeftAsTheyAre()
    {
        Parameter a = WithGradient([3, 4]);
        GradientClipping.ClipNorm([a], maxNorm: 5.0).Should().Be(5);   // coefficient 5/(5 + 1e-6) < 1: scaled
        a.Grad!.ToArray<double>()[0].Should().BeApproximately(3 * 5 / (5 + 1e-6), 1e-15);

        Parameter b = WithGradient([3, 4]);
        GradientClipping.ClipNorm([b], maxNorm: 5.1).Should().Be(5);
        b.Grad!.ToArray<double>().Should().Equal(3, 4);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(3.0)]
    [InlineData(0.5)]
    public void OtherNormOrders(double p)
    {
        Parameter a = WithGradient([3, -4]), b = WithGradient([-12]);
        double reference = double.IsPositiveInfinity(p) ? 12 : Math.Pow(Math.Pow(3, p) + Math.Pow(4, p) + Math.Pow(12, p), 1 / p);
        double norm = GradientClipping.ClipNorm([a, b], maxNorm: 1e9, normType: p);
        norm.Should().BeApproximately(reference, 1e-12);
    }

    [Fact]
    public void NullGradientsAreSkippedAndFloat32Works()
    {
        var none = new Parameter(Tensor.Zeros([2]));
        var single = new Parameter(Tensor.Zeros([2]));
        using (var tape = Tape.Record())
        {
            tape.Backward((single * Tensor.FromArray([6f, 8f], 2)).Sum());
        }

        GradientClipping.ClipNorm([none, single], maxNorm: 1).Should().BeApproximately(10, 1e-6);
        none.Grad.Should().BeNull();
        float coefficient = (float)(1 / (10 + 1e-6));
        single.Grad!.ToArray<float>().Should().Equal(6f * coefficient, 8f * coefficient);
    }

    [Fact]
    public void AnAssignedGradientIsReplacedNeverWrittenInto()
    {
        var p = new Parameter(Tensor.Zeros([2], DType.Float64));
        Tensor mine = Tensor.FromArray([30.0, 40.0], 2);
        p.Grad = mine;
        GradientClipping.ClipNorm([p], maxNorm: 5);
        mine.ToArray<double>().Should().Equal(30, 40);
        p.Grad.Should().NotBeSameAs(mine);
        p.Grad!.ToArray<double>()[1].Should().BeApproximately(4, 1e-6);

        GradientClipping.ClipValue([p], 1.0);
        p.Grad!.ToArray<double>().Should().Equal(1, 1);
    }

    [Fact]
    public void ClipValueClampsEachElement()
    {
        Parameter a = WithGradient([-3, 0.5, 2]);
        GradientClipping.ClipValue([a], 1.0);
        a.Grad!.ToArray<double>().Should().Equal(-1, 0.5, 1);
    }

    [Fact]
    public void ANonfiniteNormThrowsWhenAskedAndNothingChanges()
    {
        Parameter a = WithGradient([double.NaN, 1]), b = WithGradient([2]);
        FluentActions.Invoking(() => GradientClipping.ClipNorm([a, b], maxNorm: 1, errorIfNonfinite: true))
            .Should().Throw<InvalidOperationException>().WithMessage("*total norm of order 2*NaN*no gradient was changed*");
        b.Grad!.ToArray<double>().Should().Equal(2);

        // Without the check, as PyTorch: the coefficient is NaN and so is every gradient.
        GradientClipping.ClipNorm([a, b], maxNorm: 1).Should().Be(double.NaN);
        b.Grad!.ToArray<double>()[0].Should().Be(double.NaN);
    }

    [Fact]
    public void BadArgumentsAreRefusedNamingTheParameterAndValue()
    {
        Parameter a = WithGradient([1]);
        FluentActions.Invoking(() => GradientClipping.ClipNorm([a], maxNorm: -1))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*ClipNorm: maxNorm -1 must be non-negative*");
        FluentActions.Invoking(() => GradientClipping.ClipNorm([a], maxNorm: 1, normType: 0))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*normType 0 must be positive*");
        FluentActions.Invoking(() => GradientClipping.ClipValue([a], double.NaN))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*ClipValue: clipValue NaN must be non-negative*");
    }
}
