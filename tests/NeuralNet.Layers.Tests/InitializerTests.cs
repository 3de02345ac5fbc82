namespace NeuralNet.Layers.Tests;

using NeuralNet;
using NeuralNet.Layers;

public class InitializerTests
{
    // 400 × 500 = 200,000 samples. For normal samples the sample standard deviation has relative standard error
    // 1/√(2n) ≈ 0.0016, so a 1% band is about 6 standard errors; the uniform bounds are exact.
    private static readonly Shape WeightShape = new(400, 500);

    [Fact]
    public void FansFollowPyTorch()
    {
        Initializers.Fans(new Shape(256, 784)).Should().Be((784, 256));
        Initializers.Fans(new Shape(16, 3, 5, 5)).Should().Be((75, 400));
        FluentActions.Invoking(() => Initializers.Fans(new Shape(10))).Should().Throw<ArgumentException>().WithMessage("*rank 2*[10]*");
    }

    [Fact]
    public void XavierUniformStaysInItsBoundAndFillsIt()
    {
        double bound = Math.Sqrt(6.0 / 900);
        CheckUniform(Initializers.XavierUniform(WeightShape, seed: 1, dtype: DType.Float64), bound);
        CheckUniform(Initializers.XavierUniform(WeightShape, seed: 1, gain: 2, dtype: DType.Float64), 2 * bound);
    }

    [Fact]
    public void KaimingUniformStaysInItsBoundAndFillsIt()
    {
        CheckUniform(Initializers.KaimingUniform(WeightShape, seed: 2, dtype: DType.Float64), Math.Sqrt(2) * Math.Sqrt(3.0 / 500));
    }

    [Fact]
    public void XavierNormalHasItsStandardDeviation() =>
        CheckNormal(Initializers.XavierNormal(WeightShape, seed: 3, dtype: DType.Float64), Math.Sqrt(2.0 / 900));

    [Fact]
    public void KaimingNormalHasItsStandardDeviation() =>
        CheckNormal(Initializers.KaimingNormal(WeightShape, seed: 4, dtype: DType.Float64), Math.Sqrt(2.0 / 500));

    [Fact]
    public void ZerosAndDTypesAndSeeds()
    {
        Initializers.Zeros(new Shape(2, 3)).ToArray<float>().Should().OnlyContain(v => v == 0);
        Initializers.XavierUniform(new Shape(3, 4)).DType.Should().Be(DType.Float32);
        Initializers.KaimingNormal(new Shape(3, 4), seed: 9).ToArray<float>()
            .Should().Equal(Initializers.KaimingNormal(new Shape(3, 4), seed: 9).ToArray<float>());
        FluentActions.Invoking(() => Initializers.XavierNormal(new Shape(3, 4), gain: -1))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("XavierNormal: gain -1*");
    }

    private static void CheckUniform(Tensor t, double bound)
    {
        double[] v = t.ToArray<double>();
        v.Should().OnlyContain(x => x >= -bound && x < bound);
        v.Max().Should().BeGreaterThan(0.999 * bound);
        v.Min().Should().BeLessThan(-0.999 * bound);

        // The variance of U(−a, a) is a²/3; relative standard error of the sample variance is √(0.8/n) ≈ 0.002.
        double variance = v.Select(x => x * x).Average();
        variance.Should().BeApproximately(bound * bound / 3, 0.01 * bound * bound / 3);
    }

    private static void CheckNormal(Tensor t, double std)
    {
        double[] v = t.ToArray<double>();
        double mean = v.Average();
        double sampleStd = Math.Sqrt(v.Select(x => (x - mean) * (x - mean)).Average());
        mean.Should().BeApproximately(0, 6 * std / Math.Sqrt(v.Length));
        sampleStd.Should().BeApproximately(std, 0.01 * std);
    }
}
