namespace NeuralNet.Layers.Tests;

using NeuralNet;
using NeuralNet.Layers;

public class DenseTests
{
    private static Dense Fixed()
    {
        // W = [[1, 0], [0, 1], [1, 1]], b = [0.5, −1, 2]: y = [x₀ + 0.5, x₁ − 1, x₀ + x₁ + 2].
        var dense = new Dense(2, 3, dtype: DType.Float64);
        dense.Weight.Assign(TestHelpers.F64([1, 0, 0, 1, 1, 1], 3, 2));
        dense.Bias!.Assign(TestHelpers.F64([0.5, -1, 2], 3));
        return dense;
    }

    [Fact]
    public void ForwardIsTheHandComputedAffineMap()
    {
        Tensor y = Fixed().Forward(TestHelpers.F64([1, 2, 3, 4], 2, 2));
        y.Shape.Should().Be(new Shape(2, 3));
        y.ShouldEqual([1.5, 1, 5, 3.5, 3, 9], shape: [2, 3]);
    }

    [Fact]
    public void ForwardAcceptsOneRowAndExtraLeadingAxes()
    {
        Dense dense = Fixed();
        Tensor row = dense.Forward(TestHelpers.F64([3, 4], 2));
        row.Shape.Should().Be(new Shape(3));
        row.ShouldEqual([3.5, 3, 9]);

        Tensor batched = dense.Forward(TestHelpers.F64([1, 2, 3, 4, 0, 0], 3, 1, 2));
        batched.Shape.Should().Be(new Shape(3, 1, 3));
        batched.ShouldEqual([1.5, 1, 5, 3.5, 3, 9, 0.5, -1, 2], shape: [3, 1, 3]);
    }

    [Fact]
    public void WithoutBiasForwardIsTheProduct()
    {
        var dense = new Dense(2, 1, bias: false, dtype: DType.Float64);
        dense.Bias.Should().BeNull();
        dense.Parameters.Should().ContainSingle();
        dense.Weight.Assign(TestHelpers.F64([2, -3], 1, 2));
        dense.Forward(TestHelpers.F64([1, 1, 2, 0], 2, 2)).ShouldEqual([-1, 4], shape: [2, 1]);
    }

    [Fact]
    public void ParameterGradientsAreTheHandDerivedProducts()
    {
        // L = Σ y ⇒ G = 1, ∂L/∂W = Gᵀx (each row is the column sums of x), ∂L/∂b = n.
        Dense dense = Fixed();
        using (var tape = Tape.Record())
        {
            tape.Backward(dense.Forward(TestHelpers.F64([1, 2, 3, 4], 2, 2)).Sum());
        }

        dense.Weight.Grad!.ShouldEqual([4, 6, 4, 6, 4, 6], shape: [3, 2]);
        dense.Bias!.Grad!.ShouldEqual([2, 2, 2]);
    }

    [Fact]
    public void GradientsPassGradCheckForInputWeightAndBias()
    {
        Tensor x = Tensor.RandomNormal(new Shape(4, 3), seed: 1, dtype: DType.Float64);
        Tensor w = Tensor.RandomNormal(new Shape(2, 3), seed: 2, dtype: DType.Float64);
        Tensor b = Tensor.RandomNormal(new Shape(2), seed: 3, dtype: DType.Float64);
        GradCheckResult result = Autodiff.GradCheck(xs => Dense.Apply(xs[0], xs[1], xs[2]).Tanh(), [x, w, b]);
        result.Passed.Should().BeTrue(result.ToString());
    }

    [Fact]
    public void ForwardPassesGradCheckThroughTheModule()
    {
        var dense = new Dense(3, 2, dtype: DType.Float64, seed: 4);
        Tensor x = Tensor.RandomNormal(new Shape(5, 3), seed: 5, dtype: DType.Float64);
        GradCheckResult result = Autodiff.GradCheck(dense.Forward, x);
        result.Passed.Should().BeTrue(result.ToString());
    }

    [Fact]
    public void DefaultInitIsPyTorchsUniformWithinOneOverSqrtIn()
    {
        var dense = new Dense(784, 256, seed: 7);
        double bound = 1.0 / Math.Sqrt(784);
        float[] w = dense.Weight.ToArray<float>();
        float[] b = dense.Bias!.ToArray<float>();
        w.Should().OnlyContain(v => Math.Abs(v) <= bound);
        b.Should().OnlyContain(v => Math.Abs(v) <= bound);

        // U(−a, a) has variance a²/3; with 200,704 samples the sample variance's relative standard error is
        // √(0.8/n) ≈ 0.002, so 2% is a 10-sigma bound.
        double variance = w.Select(v => (double)v * v).Average();
        variance.Should().BeApproximately(bound * bound / 3, 0.02 * bound * bound / 3);
        w.Average(v => (double)v).Should().BeApproximately(0, 5 * bound / Math.Sqrt(3 * w.Length));
        w.Max().Should().BeGreaterThan((float)(0.99 * bound));
        w.Min().Should().BeLessThan((float)(-0.99 * bound));
    }

    [Fact]
    public void InitIsReproducibleForASeedAndDiffersAcrossSeeds()
    {
        new Dense(5, 4, seed: 3).Weight.ToArray<float>().Should().Equal(new Dense(5, 4, seed: 3).Weight.ToArray<float>());
        new Dense(5, 4, seed: 3).Weight.ToArray<float>().Should().NotEqual(new Dense(5, 4, seed: 4).Weight.ToArray<float>());
        new Dense(5, 4, seed: 3).Weight.ToArray<float>().Should().NotEqual(new Dense(5, 4, seed: 3).Bias!.ToArray<float>().Take(4));
    }

    [Fact]
    public void ShapeAndDTypeErrorsNameTheLayerAndShapes()
    {
        var dense = new Dense(3, 2);
        FluentActions.Invoking(() => dense.Forward(Tensor.Zeros(new Shape(4, 5))))
            .Should().Throw<ArgumentException>().WithMessage("Dense(in=3, out=2, bias=true): input [4,5]*3 features*[2,3]*");
        FluentActions.Invoking(() => dense.Forward(Tensor.Zeros(new Shape(4, 3), DType.Float64)))
            .Should().Throw<ArgumentException>().WithMessage("Dense(in=3, out=2, bias=true)*Float64*Float32*");
        FluentActions.Invoking(() => new Dense(0, 2)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void ToStringShowsTheSizes()
    {
        new Dense(784, 256).ToString().Should().Be("Dense(in=784, out=256, bias=true)");
        new Dense(3, 1, bias: false).ToString().Should().Be("Dense(in=3, out=1, bias=false)");
        new Dense(2, 3).Parameters.Select(p => p.Name).Should().Equal("weight", "bias");
        new Dense(2, 3).Weight.Shape.Should().Be(new Shape(3, 2));
    }
}
