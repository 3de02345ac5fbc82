namespace NeuralNet.Tests.Ops;

using NeuralNet;

/// <summary>Forward values of the activations and selection ops against Math, in both dtypes, and their edge cases.</summary>
public class ActivationTests
{
    private static readonly double[] Inputs = [-40, -3.5, -1, -1e-3, 0, 1e-3, 0.5, 2, 40];

    public static TheoryData<string, DType> Cases()
    {
        var data = new TheoryData<string, DType>();
        foreach (string name in References.Keys)
        {
            data.Add(name, DType.Float64);
            data.Add(name, DType.Float32);
        }

        return data;
    }

    private static readonly Dictionary<string, (Func<Tensor, Tensor> Op, Func<double, double> Reference)> References = new()
    {
        ["Abs"] = (x => x.Abs(), Math.Abs),
        ["Sign"] = (x => x.Sign(), v => Math.Sign(v)),
        ["Tanh"] = (x => x.Tanh(), Math.Tanh),
        ["Sigmoid"] = (x => x.Sigmoid(), v => 1 / (1 + Math.Exp(-v))),
        ["Relu"] = (x => x.Relu(), v => Math.Max(v, 0)),
        ["LeakyRelu"] = (x => x.LeakyRelu(0.1), v => v > 0 ? v : 0.1 * v),
        ["Elu"] = (x => x.Elu(0.7), v => v > 0 ? v : 0.7 * Expm1(v)),
        ["Softplus"] = (x => x.Softplus(), v => v > 0 ? v + Log1p(Math.Exp(-v)) : Log1p(Math.Exp(v))),
        ["Log1p"] = (x => (x.Abs() * 0.01).Log1p(), v => Log1p(Math.Abs(v) * 0.01)),
        ["Expm1"] = (x => (x * 0.01).Expm1(), v => Expm1(v * 0.01)),
        ["Clamp"] = (x => x.Clamp(-1, 0.5), v => Math.Clamp(v, -1, 0.5)),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesTheScalarDefinition(string name, DType dtype)
    {
        var (op, reference) = References[name];
        double[] actual = op(Tensor.FromArray(Inputs).To(dtype)).ToArray<double>();

        // A few ulps of the result, relative, in the tensor's precision.
        double epsilon = dtype == DType.Float32 ? 1.2e-7 : 2.3e-16;
        for (int i = 0; i < Inputs.Length; i++)
        {
            double expected = reference(Inputs[i]);
            actual[i].Should().BeApproximately(expected, 8 * epsilon * Math.Max(Math.Abs(expected), 1e-300), $"{name}({Inputs[i]})");
        }
    }

    [Fact]
    public void SoftplusIsFiniteAndExactAtPlusMinus100()
    {
        Tensor x = Tensor.FromArray([-100.0, 100.0]);
        // softplus(−100) = log1p(e⁻¹⁰⁰) = e⁻¹⁰⁰ to double precision (the next series term is 10⁻⁴⁴ times smaller).
        x.Softplus().ToArray<double>().Should().Equal(Math.Exp(-100), 100.0);

        // σ(−100) = 1/(1 + e¹⁰⁰): exp's rounding allows a few ulps.
        double[] gradient = Autodiff.Grad(v => v.Softplus().Sum(), x).ToArray<double>();
        gradient[0].Should().BeApproximately(1 / (1 + Math.Exp(100)), 8 * 2.3e-16 * 3.8e-44);
        gradient[1].Should().Be(1.0);

        Tensor f32 = x.To(DType.Float32).Softplus();
        f32.ToArray<double>().Should().OnlyContain(v => double.IsFinite(v));
        f32[1].Item().Should().Be(100);
    }

    [Fact]
    public void SignKeepsNaNAndIsZeroAtZero()
    {
        Tensor.FromArray([double.NaN, 0.0, -0.0, -2, 3]).Sign().ToArray<double>()
            .Should().Equal([double.NaN, 0, 0, -1, 1], (a, b) => a.Equals(b));
    }

    [Fact]
    public void ReluAndAbsHaveZeroGradientAtTheKink()
    {
        var x = Tensor.Scalar(0, DType.Float64);
        Autodiff.Grad(v => v.Relu(), x).Item().Should().Be(0);
        Autodiff.Grad(v => v.Abs(), x).Item().Should().Be(0);
    }

    [Fact]
    public void MaximumSplitsTheGradientOnTies()
    {
        Tensor a = Tensor.FromArray([1.0, 2.0, 3.0]), b = Tensor.FromArray([1.0, 5.0, 0.0]);
        Tensor[] max = Autodiff.Grad(v => Tensor.Maximum(v[0], v[1]).Sum(), [a, b]);
        max[0].ToArray<double>().Should().Equal(0.5, 0, 1);
        max[1].ToArray<double>().Should().Equal(0.5, 1, 0);

        Tensor[] min = Autodiff.Grad(v => Tensor.Minimum(v[0], v[1]).Sum(), [a, b]);
        min[0].ToArray<double>().Should().Equal(0.5, 1, 0);
        min[1].ToArray<double>().Should().Equal(0.5, 0, 1);
    }

    [Fact]
    public void MaximumPropagatesNaN()
    {
        Tensor.Maximum(Tensor.FromArray([double.NaN, 1.0]), Tensor.FromArray([0.0, double.NaN])).ToArray<double>()
            .Should().OnlyContain(v => double.IsNaN(v));
    }

    [Fact]
    public void WhereSelectsExactlyEvenInfinitiesAndRoutesGradients()
    {
        Tensor condition = Tensor.FromArray([1.0, 0.0, 2.0]);
        Tensor a = Tensor.FromArray([double.PositiveInfinity, 1.0, 2.0]), b = Tensor.FromArray([0.0, double.NegativeInfinity, 5.0]);
        Tensor.Where(condition, a, b).ToArray<double>().Should().Equal(double.PositiveInfinity, double.NegativeInfinity, 2.0);

        Tensor[] grads = Autodiff.Grad(v => (Tensor.Where(condition, v[0], v[1]) * Tensor.FromArray([1.0, 2.0, 3.0])).Sum(), [Tensor.FromArray([1.0, 1, 1]), Tensor.FromArray([1.0, 1, 1])]);
        grads[0].ToArray<double>().Should().Equal(1, 0, 3);
        grads[1].ToArray<double>().Should().Equal(0, 2, 0);
    }

    [Fact]
    public void PowWithATensorExponentHasBothPartials()
    {
        // d/dx xʸ = y·xʸ⁻¹ = 3·2² = 12; d/dy xʸ = ln(x)·xʸ = 8 ln 2.
        Tensor[] grads = Autodiff.Grad(v => v[0].Pow(v[1]), [Tensor.Scalar(2, DType.Float64), Tensor.Scalar(3, DType.Float64)]);
        grads[0].Item().Should().BeApproximately(12, 1e-14);
        grads[1].Item().Should().BeApproximately(8 * Math.Log(2), 1e-14);
    }

    [Theory]
    [InlineData(2.0, 0.0, 0.0)]
    [InlineData(0.0, 0.0, 0.0)]
    [InlineData(0.5, 0.0, 0.0)]
    public void PowAtBaseZeroHasPyTorchsFiniteGradients(double exponent, double expectedDx, double expectedDy)
    {
        // x = 0: d/dx 0ʸ = y·0ʸ⁻¹ (0 for y = 2, masked to 0 for y = 0), d/dy 0ʸ = 0 for y ≥ 0 (0ʸ is constant there).
        Tensor[] grads = Autodiff.Grad(v => v[0].Pow(v[1]), [Tensor.Scalar(0, DType.Float64), Tensor.Scalar(exponent, DType.Float64)]);
        if (exponent != 0.5)
        {
            grads[0].Item().Should().Be(expectedDx);
        }

        grads[1].Item().Should().Be(expectedDy);
        var (_, tangent) = Autodiff.Jvp(v => v[0].Pow(v[1]), [Tensor.Scalar(1, DType.Float64), Tensor.Scalar(exponent, DType.Float64)],
            [Tensor.Scalar(0, DType.Float64), Tensor.Scalar(1, DType.Float64)]);
        tangent.Item().Should().Be(0, "d/dy 1ʸ = log 1 · 1 = 0");
    }

    /// <summary>log(1 + v) by its alternating series where 1 + v would round (|v| &lt; 0.5), else directly.</summary>
    private static double Log1p(double v)
    {
        if (Math.Abs(v) >= 0.5)
        {
            return Math.Log(1 + v);
        }

        double sum = 0, power = v;
        for (int n = 1; n < 80; n++, power *= -v)
        {
            sum += power / n;
        }

        return sum;
    }

    /// <summary>eᵛ − 1 by its Taylor series where eᵛ ≈ 1 (|v| &lt; 0.5), else directly.</summary>
    private static double Expm1(double v)
    {
        if (Math.Abs(v) >= 0.5)
        {
            return Math.Exp(v) - 1;
        }

        double sum = 0, term = v;
        for (int n = 2; n < 40; n++)
        {
            sum += term;
            term *= v / n;
        }

        return sum;
    }
}
