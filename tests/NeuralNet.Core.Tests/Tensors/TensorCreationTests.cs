namespace NeuralNet.Tests.Tensors;

using NeuralNet;

/// <summary>Creation functions, conversion, bad input and <see cref="Tensor.ToString"/>.</summary>
public class TensorCreationTests
{
    [Fact]
    public void FromArrayKeepsValuesShapeAndDType()
    {
        var f = Tensor.FromArray(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        f.Shape.Should().Be(new Shape(2, 3));
        f.DType.Should().Be(DType.Float32);
        f.ToArray<float>().Should().Equal(1, 2, 3, 4, 5, 6);
        f[1, 0].Item().Should().Be(4);
        f[-1, -1].Item().Should().Be(6);

        var d = Tensor.FromArray(new double[] { 0.5, -1.5 });
        d.Shape.Should().Be(new Shape(2));
        d.DType.Should().Be(DType.Float64);
        d.ToArray<double>().Should().Equal(0.5, -1.5);
    }

    [Fact]
    public void FromArrayCopiesItsInput()
    {
        var values = new double[] { 1, 2 };
        var t = Tensor.FromArray(values, 2);
        values[0] = 99;
        t[0].Item().Should().Be(1);
    }

    [Fact]
    public void FromTwoDimensionalArrayIsRowMajor()
    {
        var t = Tensor.FromArray(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        t.Shape.Should().Be(new Shape(2, 3));
        t.DType.Should().Be(DType.Float64);
        t.ToArray<double>().Should().Equal(1, 2, 3, 4, 5, 6);
        t[0, 2].Item().Should().Be(3);
        t[1, 0].Item().Should().Be(4);
    }

    [Fact]
    public void FromSpanPicksTheDTypeFromTheElementType()
    {
        Tensor.FromSpan<float>(new float[] { 1, 2, 3, 4 }, 2, 2).DType.Should().Be(DType.Float32);
        Tensor.FromSpan<double>(new double[] { 1, 2, 3, 4 }, 4).DType.Should().Be(DType.Float64);
        var act = () => Tensor.FromSpan<int>(new[] { 1, 2 });
        act.Should().Throw<NotSupportedException>().WithMessage("FromSpan*Int32*");
    }

    [Fact]
    public void ScalarIsRankZeroWithOneElement()
    {
        var s = Tensor.Scalar(2.5);
        s.Rank.Should().Be(0);
        s.Size.Should().Be(1);
        s.DType.Should().Be(DType.Float32);
        s.Item().Should().Be(2.5);
        Tensor.Scalar(-0.1, DType.Float64).Item().Should().Be(-0.1);
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void ZerosOnesAndFullHaveTheirValueEverywhere(DType dtype)
    {
        var zeros = Tensor.Zeros([2, 3], dtype);
        zeros.Shape.Should().Be(new Shape(2, 3));
        zeros.DType.Should().Be(dtype);
        zeros.ToArray<double>().Should().Equal(0, 0, 0, 0, 0, 0);

        Tensor.Ones([3], dtype).ToArray<double>().Should().Equal(1, 1, 1);

        var full = Tensor.Full([2, 1, 2], 0.25, dtype);
        full.Shape.Should().Be(new Shape(2, 1, 2));
        full.ToArray<double>().Should().Equal(0.25, 0.25, 0.25, 0.25);

        Tensor.Zeros([0, 4], dtype).Size.Should().Be(0);
    }

    [Fact]
    public void LikeFunctionsCopyShapeAndDType()
    {
        var like = Tensor.FromArray(new double[] { 1, 2, 3, 4, 5, 6 }, 3, 2);
        foreach (Tensor t in new[] { Tensor.ZerosLike(like), Tensor.OnesLike(like), Tensor.FullLike(like, 7) })
        {
            t.Shape.Should().Be(like.Shape);
            t.DType.Should().Be(DType.Float64);
        }

        Tensor.ZerosLike(like).ToArray<double>().Should().OnlyContain(v => v == 0);
        Tensor.OnesLike(like).ToArray<double>().Should().OnlyContain(v => v == 1);
        Tensor.FullLike(like, 7).ToArray<double>().Should().OnlyContain(v => v == 7);
    }

    [Fact]
    public void ArangeExcludesStopAndSupportsNegativeAndFractionalSteps()
    {
        var a = Tensor.Arange(0, 5);
        a.Shape.Should().Be(new Shape(5));
        a.DType.Should().Be(DType.Float32);
        a.ToArray<float>().Should().Equal(0, 1, 2, 3, 4);

        // 1, 1.5, 2 (2.5 is the excluded stop); all exactly representable.
        Tensor.Arange(1, 2.5, 0.5, DType.Float64).ToArray<double>().Should().Equal(1, 1.5, 2);
        Tensor.Arange(5, 0, -2, DType.Float64).ToArray<double>().Should().Equal(5, 3, 1);
        Tensor.Arange(3, 3).Size.Should().Be(0);
        Tensor.Arange(3, 1).Size.Should().Be(0);
    }

    [Fact]
    public void ToConvertsDTypeAndKeepsValues()
    {
        var d = Tensor.FromArray(new double[] { 0.5, -2, 3 }, 3);
        Tensor f = d.To(DType.Float32);
        f.DType.Should().Be(DType.Float32);
        f.Shape.Should().Be(d.Shape);
        f.ToArray<float>().Should().Equal(0.5f, -2f, 3f);
        f.To(DType.Float64).ToArray<double>().Should().Equal(0.5, -2, 3);

        // 0.1 is not representable: the float32 value is the nearest float to 0.1, not 0.1.
        Tensor.Scalar(0.1, DType.Float64).To(DType.Float32).Item().Should().Be((double)0.1f);
    }

    [Fact]
    public void RandomNormalIsReproducibleForASeedAndDiffersAcrossSeeds()
    {
        Tensor a = Tensor.RandomNormal([4, 5], seed: 42);
        Tensor b = Tensor.RandomNormal([4, 5], seed: 42);
        Tensor c = Tensor.RandomNormal([4, 5], seed: 43);
        a.Shape.Should().Be(new Shape(4, 5));
        a.DType.Should().Be(DType.Float32);
        a.ToArray<float>().Should().Equal(b.ToArray<float>());
        a.ToArray<float>().Should().NotEqual(c.ToArray<float>());

        // Odd sizes use half of the last Box-Muller pair.
        Tensor.RandomNormal([7], seed: 1, dtype: DType.Float64).Size.Should().Be(7);
    }

    [Fact]
    public void RandomUniformIsReproducibleForASeed()
    {
        Tensor a = Tensor.RandomUniform([10], seed: 7, low: -1, high: 1, dtype: DType.Float64);
        Tensor b = Tensor.RandomUniform([10], seed: 7, low: -1, high: 1, dtype: DType.Float64);
        a.DType.Should().Be(DType.Float64);
        a.ToArray<double>().Should().Equal(b.ToArray<double>());
    }

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(2.0, 3.0)]
    public void RandomNormalHasTheRequestedMeanAndStd(double mean, double std)
    {
        const int n = 100_000;
        double[] x = Tensor.RandomNormal([n], seed: 2024, mean: mean, std: std, dtype: DType.Float64).ToArray<double>();
        var (sampleMean, sampleStd) = MeanAndStd(x);

        // The sample mean has standard error σ/√n; for a normal sample the sample standard deviation has standard
        // error ≈ σ/√(2n). Five standard errors: a correct generator fails with probability below 1e-6.
        double meanTolerance = 5 * std / Math.Sqrt(n);
        double stdTolerance = 5 * std / Math.Sqrt(2.0 * n);
        sampleMean.Should().BeApproximately(mean, meanTolerance);
        sampleStd.Should().BeApproximately(std, stdTolerance);
    }

    [Fact]
    public void RandomUniformHasTheRequestedRangeMeanAndStd()
    {
        const int n = 100_000;
        const double low = -1, high = 3;
        double[] x = Tensor.RandomUniform([n], seed: 2024, low: low, high: high, dtype: DType.Float64).ToArray<double>();
        x.Should().OnlyContain(v => v >= low && v < high);
        var (sampleMean, sampleStd) = MeanAndStd(x);

        // U(a, b): μ = (a+b)/2 = 1, σ = (b−a)/√12 = 4/√12. The sample variance has variance (μ₄ − σ⁴)/n with
        // μ₄ = (b−a)⁴/80, so SE(s²) = (b−a)²·√(1/80 − 1/144)/√n and SE(s) ≈ SE(s²)/(2σ). Five standard errors.
        double sigma = (high - low) / Math.Sqrt(12);
        double seVariance = (high - low) * (high - low) * Math.Sqrt((1.0 / 80) - (1.0 / 144)) / Math.Sqrt(n);
        sampleMean.Should().BeApproximately((low + high) / 2, 5 * sigma / Math.Sqrt(n));
        sampleStd.Should().BeApproximately(sigma, 5 * seVariance / (2 * sigma));
    }

    [Fact]
    public void RandomNormalWithZeroStdIsConstant()
    {
        Tensor.RandomNormal([5], seed: 3, mean: 1.5, std: 0, dtype: DType.Float64)
            .ToArray<double>().Should().OnlyContain(v => v == 1.5);
    }

    [Fact]
    public void ValuesThatDoNotFillTheShapeAreRefusedNamingTheFunctionAndShape()
    {
        var fromFloats = () => Tensor.FromArray(new float[] { 1, 2, 3 }, 2, 2);
        fromFloats.Should().Throw<ArgumentException>().WithMessage("FromArray: 3 values do not fill shape [2,2]*");

        var fromDoubles = () => Tensor.FromArray(new double[] { 1, 2, 3, 4, 5 }, 2, 3);
        fromDoubles.Should().Throw<ArgumentException>().WithMessage("FromArray: 5 values do not fill shape [2,3]*");

        var fromSpan = () => Tensor.FromSpan<double>(new double[] { 1 }, 3);
        fromSpan.Should().Throw<ArgumentException>().WithMessage("FromSpan: 1 values do not fill shape [3]*");
    }

    [Fact]
    public void ZeroOrNonFiniteStepIsRefusedNamingArangeAndTheStep()
    {
        var zero = () => Tensor.Arange(0, 1, 0);
        zero.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Arange: step 0*")
            .Which.ParamName.Should().Be("step");

        var nan = () => Tensor.Arange(0, 1, double.NaN);
        nan.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Arange: step NaN*");
    }

    [Fact]
    public void NegativeStdIsRefusedNamingRandomNormalAndTheValue()
    {
        var act = () => Tensor.RandomNormal([3], seed: 1, std: -1);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("RandomNormal: std -1*")
            .Which.ParamName.Should().Be("std");
    }

    [Fact]
    public void UniformWithHighBelowLowIsRefused()
    {
        var act = () => Tensor.RandomUniform([3], seed: 1, low: 2, high: 1);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("RandomUniform: high 1 is below low 2*");
    }

    [Fact]
    public void ItemOnANonScalarIsRefusedNamingTheShape()
    {
        var act = () => Tensor.Zeros([2, 2]).Item();
        act.Should().Throw<InvalidOperationException>().WithMessage("Item: the tensor has shape [2,2] (4 elements)*");

        // A one-element tensor of any rank has an item.
        Tensor.Full([1, 1], 3).Item().Should().Be(3);
    }

    [Fact]
    public void IndexerRefusesTooManyAndOutOfRangeIndices()
    {
        var t = Tensor.Zeros([2, 3]);
        var rank = () => t[1, 0, 0];
        rank.Should().Throw<ArgumentException>().WithMessage("Index: [1, 0, 0] indexes 3 axes of a tensor of shape [2,3] (2 axes)*");
        var range = () => t[0, 3];
        range.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Index: index 3 is out of range for axis 1 (size 3) of shape [2,3]*");
    }

    [Fact]
    public void ToStringOfASmallMatrixIsExact()
    {
        Tensor.FromArray(new float[] { 1, 2, 3, 4 }, 2, 2).ToString().Should().Be("Tensor([[1, 2], [3, 4]], Float32)");
        Tensor.FromArray(new double[] { 0.5, -1.25 }, 1, 2).ToString().Should().Be("Tensor([[0.5, -1.25]], Float64)");
        Tensor.Scalar(3).ToString().Should().Be("Tensor(3, Float32)");
    }

    [Fact]
    public void ToStringElidesTheMiddleOfALongAxis()
    {
        // Three values from each end of an axis longer than seven.
        Tensor.Arange(0, 10).ToString().Should().Be("Tensor([0, 1, 2, ..., 7, 8, 9], Float32)");

        string big = Tensor.Zeros([100, 100]).ToString();
        big.Should().Contain("...");
        big.Length.Should().BeLessThan(200);
    }

    private static (double Mean, double Std) MeanAndStd(double[] x)
    {
        double mean = x.Average();
        double sumSquares = 0;
        foreach (double v in x)
        {
            sumSquares += (v - mean) * (v - mean);
        }

        return (mean, Math.Sqrt(sumSquares / (x.Length - 1)));
    }
}
