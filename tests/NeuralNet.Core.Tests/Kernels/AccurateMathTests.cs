namespace NeuralNet.Tests.Kernels;

using NeuralNet;

/// <summary>
/// expm1 and tanh near 0, where the naive formulas cancel, against a reference computed in <see cref="decimal"/>
/// (28 digits) from the Taylor series: independent of the kernels' own arithmetic.
/// </summary>
public class AccurateMathTests
{
    private static readonly double[] Points =
    [
        .. Enumerable.Range(-999, 1999).Select(i => i / 1000.0),
        1e-10, -1e-10, 1e-5, -1e-5, 3e-8, -3e-8, 0.9999, -0.9999,
    ];

    /// <summary>eˣ − 1 = Σₖ≥₁ xᵏ/k!, summed in decimal until the terms vanish (|x| &lt; 1).</summary>
    private static decimal Expm1Reference(double x)
    {
        decimal v = (decimal)x, term = v, sum = v;
        for (int k = 2; term != 0 && k < 60; k++)
        {
            term = term * v / k;
            sum += term;
        }

        return sum;
    }

    // Tolerances in machine epsilons ε (2⁻⁵² in double, 2⁻²³ in float), relative: 2ε for expm1; 3ε for tanh, whose
    // formula rounds four more times. The exp-and-log expm1 this replaced missed 2ε in both dtypes.
    [Theory]
    [InlineData(DType.Float64, 2 * 2.220446049250313e-16)]
    [InlineData(DType.Float32, 2 * 1.1920928955078125e-7)]
    public void Expm1IsWithinTwoEpsilonsOfTheSeriesNearZero(DType dtype, double tolerance)
    {
        double[] actual = Tensor.FromArray(Points).To(dtype).Expm1().ToArray<double>();
        for (int i = 0; i < Points.Length; i++)
        {
            // The input as the kernel saw it (rounded to float32 in that dtype).
            double x = dtype == DType.Float32 ? (float)Points[i] : Points[i];
            double expected = (double)Expm1Reference(x);
            Math.Abs(actual[i] - expected).Should().BeLessThanOrEqualTo(tolerance * Math.Abs(expected), $"expm1({x:R})");
        }
    }

    [Theory]
    [InlineData(DType.Float64, 3 * 2.220446049250313e-16)]
    [InlineData(DType.Float32, 3 * 1.1920928955078125e-7)]
    public void TanhIsWithinThreeEpsilonsOfTheSeriesNearZero(DType dtype, double tolerance)
    {
        // tanh x = e/(e + 2) with e = expm1(2x); the reference takes |x| < ½ so that 2x stays inside the series' range.
        double[] small = [.. Points.Where(p => Math.Abs(p) < 0.5)];
        double[] actual = Tensor.FromArray(small).To(dtype).Tanh().ToArray<double>();
        for (int i = 0; i < small.Length; i++)
        {
            double x = dtype == DType.Float32 ? (float)small[i] : small[i];
            decimal e = Expm1Reference(2 * x);
            double expected = (double)(e / (e + 2));
            Math.Abs(actual[i] - expected).Should().BeLessThanOrEqualTo(tolerance * Math.Abs(expected), $"tanh({x:R})");
        }
    }

    /// <summary>log(1 + x) = Σₖ≥₁ (−1)ᵏ⁺¹ xᵏ/k, summed in decimal (|x| ≤ 0.6 here, so 200 terms are plenty).</summary>
    private static decimal Log1pReference(decimal x)
    {
        decimal power = x, sum = 0;
        for (int k = 1; k < 200 && power != 0; k++, power *= x)
        {
            sum += (k % 2 == 1 ? power : -power) / k;
        }

        return sum;
    }

    /// <summary>eˣ for x ≤ 0 as 1/e^−x: the series of e^−x has only positive terms, so nothing cancels.</summary>
    private static decimal ExpReference(double x)
    {
        decimal v = -(decimal)x, term = 1, sum = 1;
        for (int k = 1; term != 0 && k < 200; k++)
        {
            term = term * v / k;
            sum += term;
        }

        return 1 / sum;
    }

    [Theory]
    [InlineData(DType.Float64, 3 * 2.220446049250313e-16)]
    [InlineData(DType.Float32, 3 * 1.1920928955078125e-7)]
    public void Log1pIsWithinThreeEpsilonsOfTheSeriesNearZero(DType dtype, double tolerance)
    {
        double[] small = [.. Points.Where(p => Math.Abs(p) <= 0.6)];
        double[] actual = Tensor.FromArray(small).To(dtype).Log1p().ToArray<double>();
        for (int i = 0; i < small.Length; i++)
        {
            double x = dtype == DType.Float32 ? (float)small[i] : small[i];
            double expected = (double)Log1pReference((decimal)x);
            Math.Abs(actual[i] - expected).Should().BeLessThanOrEqualTo(tolerance * Math.Abs(expected), $"log1p({x:R})");
        }
    }

    [Theory]
    [InlineData(DType.Float64, 4 * 2.220446049250313e-16)]
    [InlineData(DType.Float32, 4 * 1.1920928955078125e-7)]
    public void SoftplusIsWithinFourEpsilonsFarBelowZero(DType dtype, double tolerance)
    {
        // softplus(x) = log1p(eˣ) ≈ eˣ for x ≪ 0, where log(1 + eˣ) computed naively would lose it all.
        double[] points = [.. Enumerable.Range(1, 60).Select(i => -i / 2.0)];
        double[] actual = Tensor.FromArray(points).To(dtype).Softplus().ToArray<double>();
        for (int i = 0; i < points.Length; i++)
        {
            double x = points[i];
            double expected = (double)Log1pReference(ExpReference(x));
            Math.Abs(actual[i] - expected).Should().BeLessThanOrEqualTo(tolerance * Math.Abs(expected), $"softplus({x:R})");
        }
    }
}
