namespace NeuralNet.Tests.Tensors;

using System.Numerics;
using NeuralNet;

/// <summary>
/// Element-wise kernels and the sum reduction at lengths on both sides of every vector width (4/8/16 lanes of
/// float, 2/4/8 of double), against a scalar <see cref="Math"/>/<see cref="MathF"/> reference: dotnet/runtime's
/// TensorPrimitives tests, a generic base instantiated per element type.
/// </summary>
/// <remarks>
/// Tolerances: +, −, ×, ÷, negation, √ and x² are correctly rounded under IEEE 754, so vector and scalar code
/// agree exactly. exp, log, pow, sin and cos are not: the scalar reference (the C runtime) and the vectorized
/// kernels (AMD AOCL-derived) are each within about one ulp of the true value, so they may differ by a few
/// ulps; we allow 4 ulps of the result, i.e. 4·ε·|reference| with ε = 2⁻²³ (float) or 2⁻⁵² (double). For sin
/// and cos the result can be near 0 while the argument is not, and the error of an argument reduction is relative
/// to the argument's range, so their bound is 4·ε·max(|reference|, 1) (outputs lie in [−1, 1]).
/// </remarks>
public abstract class KernelLengthTests<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int Ulps = 4;

    protected abstract DType DType { get; }

    /// <summary>Machine epsilon: the distance from 1 to the next representable value.</summary>
    private static T Epsilon => T.BitIncrement(T.One) - T.One;

    public static TheoryData<int> Lengths => new() { 0, 1, 7, 8, 9, 15, 16, 17, 33, 1000 };

    [Theory]
    [MemberData(nameof(Lengths))]
    public void BinaryOpsAreCorrectlyRounded(int length)
    {
        T[] x = Values(length, seed: 1, low: -10, high: 10);
        T[] y = NonZero(Values(length, seed: 2, low: 0.5, high: 4));
        Tensor a = Tensor.FromSpan<T>(x), b = Tensor.FromSpan<T>(y);

        Check("add", a + b, length, i => x[i] + y[i], exact: true);
        Check("sub", a - b, length, i => x[i] - y[i], exact: true);
        Check("mul", a * b, length, i => x[i] * y[i], exact: true);
        Check("div", a / b, length, i => x[i] / y[i], exact: true);

        // Scalar operand on either side (the driver's other two kernel forms).
        T s = T.CreateChecked(1.75);
        Check("add scalar", a + 1.75, length, i => x[i] + s, exact: true);
        Check("scalar sub", 1.75 - a, length, i => s - x[i], exact: true);
        Check("mul scalar", a * 1.75, length, i => x[i] * s, exact: true);
        Check("scalar div", 1.75 / b, length, i => s / y[i], exact: true);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void UnaryOpsMatchTheScalarReference(int length)
    {
        T[] any = Values(length, seed: 3, low: -10, high: 10);
        T[] positive = Values(length, seed: 4, low: 1e-3, high: 100);
        T[] moderate = Values(length, seed: 5, low: -20, high: 20); // exp stays finite in float
        Tensor a = Tensor.FromSpan<T>(any), p = Tensor.FromSpan<T>(positive), m = Tensor.FromSpan<T>(moderate);
        T exponent = T.CreateChecked(2.5);

        Check("neg", -a, length, i => -any[i], exact: true);
        Check("sqrt", p.Sqrt(), length, i => T.Sqrt(positive[i]), exact: true);
        Check("square", a.Square(), length, i => any[i] * any[i], exact: true);
        Check("exp", m.Exp(), length, i => T.Exp(moderate[i]), exact: false);
        Check("log", p.Log(), length, i => T.Log(positive[i]), exact: false);
        Check("pow", p.Pow(2.5), length, i => T.Pow(positive[i], exponent), exact: false);
        Check("sin", a.Sin(), length, i => T.Sin(any[i]), exact: false, absoluteFloor: true);
        Check("cos", a.Cos(), length, i => T.Cos(any[i]), exact: false, absoluteFloor: true);
        Check("abs", a.Abs(), length, i => T.Abs(any[i]), exact: true);
        Check("relu", a.Relu(), length, i => T.Max(any[i], T.Zero), exact: true);
        Check("tanh", a.Tanh(), length, i => T.Tanh(any[i]), exact: false);
        Check("sigmoid", m.Sigmoid(), length, i => T.One / (T.One + T.Exp(-moderate[i])), exact: false);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void SumMatchesTheScalarReference(int length)
    {
        T[] x = Values(length, seed: 6, low: -1, high: 1);
        Tensor sum = Tensor.FromSpan<T>(x).Sum();
        sum.DType.Should().Be(DType);
        sum.Rank.Should().Be(0);

        // Any order of n − 1 additions is within γₙ₋₁·Σ|xᵢ| of the exact sum, γₖ = kε/(1 − kε) (Higham,
        // Accuracy and Stability of Numerical Algorithms, §4.2). The reference is accumulated in double (exact
        // enough for float; for double it carries its own γₙ₋₁ error, hence the factor 2).
        double exact = 0, magnitude = 0;
        foreach (T v in x)
        {
            exact += double.CreateChecked(v);
            magnitude += Math.Abs(double.CreateChecked(v));
        }

        double eps = double.CreateChecked(Epsilon);
        double gamma = Math.Max(length - 1, 0) * eps / (1 - (Math.Max(length - 1, 0) * eps));
        double bound = 2 * gamma * magnitude;
        sum.Item().Should().BeApproximately(exact, bound, $"length {length}");
        if (length == 0)
        {
            sum.Item().Should().Be(0);
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void OutputsKeepLengthShapeAndDType(int length)
    {
        Tensor a = Tensor.FromSpan<T>(Values(length, seed: 7, low: 1, high: 2));
        foreach (Tensor r in new[] { a + a, a * 2.0, a.Exp(), a.Pow(3), a.Cos() })
        {
            r.DType.Should().Be(DType);
            r.Shape.Should().Be(new Shape(length));
        }
    }

    private static T[] Values(int length, int seed, double low, double high)
    {
        var random = new Random(seed);
        var values = new T[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = T.CreateChecked(low + ((high - low) * random.NextDouble()));
        }

        return values;
    }

    /// <summary>Alternates signs so that negative divisors occur too.</summary>
    private static T[] NonZero(T[] values)
    {
        for (int i = 1; i < values.Length; i += 2)
        {
            values[i] = -values[i];
        }

        return values;
    }

    private void Check(string op, Tensor result, int length, Func<int, T> reference, bool exact, bool absoluteFloor = false)
    {
        result.DType.Should().Be(DType, op);
        T[] actual = result.ToArray<T>();
        actual.Length.Should().Be(length, op);
        T tolerance = T.CreateChecked(Ulps) * Epsilon;
        for (int i = 0; i < length; i++)
        {
            T expected = reference(i);
            if (exact)
            {
                actual[i].Equals(expected).Should().BeTrue($"{op} is correctly rounded: {actual[i]} vs {expected} (element {i} of {length})");
                continue;
            }

            T scale = absoluteFloor ? T.Max(T.Abs(expected), T.One) : T.Abs(expected);
            (T.Abs(actual[i] - expected) <= tolerance * scale).Should().BeTrue(
                $"{op}: {actual[i]} vs {expected} is within {Ulps} ulps (element {i} of {length})");
        }
    }
}

public class KernelLengthTestsFloat32 : KernelLengthTests<float>
{
    protected override DType DType => DType.Float32;
}

public class KernelLengthTestsFloat64 : KernelLengthTests<double>
{
    protected override DType DType => DType.Float64;
}
