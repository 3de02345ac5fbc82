namespace NeuralNet.Tests.Ops;

using NeuralNet;

/// <summary>
/// The softmax family at inputs around ±1000, where a naive exp overflows (e¹⁰⁰⁰ = ∞) or underflows to 0: values,
/// gradients and tangents must be finite and equal the hand-derived ones. Shifting a slice by a constant leaves
/// softmax unchanged, so softmax([1000, 1001, 1002]) = softmax([0, 1, 2]) = [1, e, e²] / (1 + e + e²).
/// </summary>
public class StabilityTests
{
    public static TheoryData<DType> DTypes => [DType.Float32, DType.Float64];

    // softmax([0, 1, 2]) and log(1 + e + e²), by hand.
    private static readonly double Z = 1 + Math.E + (Math.E * Math.E);
    private static readonly double[] S3 = [1 / Z, Math.E / Z, Math.E * Math.E / Z];

    // softmax([-1000, -1001]) = softmax([0, -1]) = [1, e⁻¹] / (1 + e⁻¹).
    private static readonly double Z2 = 1 + Math.Exp(-1);
    private static readonly double[] S2 = [1 / Z2, Math.Exp(-1) / Z2];

    [Theory]
    [MemberData(nameof(DTypes))]
    public void ValuesAtLargeInputs(DType dtype)
    {
        Tensor high = Vector(dtype, 1000, 1001, 1002);
        Tensor low = Vector(dtype, -1000, -1001);

        ShouldEqual(high.Softmax(), S3, dtype);
        ShouldEqual(high.LogSoftmax(), [-Math.Log(Z), 1 - Math.Log(Z), 2 - Math.Log(Z)], dtype);
        ShouldEqual(high.LogSumExp(), [1000 + Math.Log(Z)], dtype);

        ShouldEqual(low.Softmax(), S2, dtype);
        ShouldEqual(low.LogSoftmax(), [-Math.Log(Z2), -1 - Math.Log(Z2)], dtype);
        ShouldEqual(low.LogSumExp(), [-1000 + Math.Log(Z2)], dtype);
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void GradientsAtLargeInputs(DType dtype)
    {
        Tensor x = Vector(dtype, 1000, 1001, 1002);
        double[] u = [0.5, -1.0, 2.0];
        double su = Dot(S3, u);

        // logsumexp: ∂/∂x = softmax; softmax: s ⊙ (u − ⟨u, s⟩); log-softmax: u − s·Σu.
        ShouldEqual(Autodiff.Grad(v => v.LogSumExp(), x), S3, dtype);
        ShouldEqual(Pullback(v => v.Softmax(), x, u), [.. S3.Select((s, i) => s * (u[i] - su))], dtype);
        ShouldEqual(Pullback(v => v.LogSoftmax(), x, u), [.. S3.Select((s, i) => u[i] - (s * u.Sum()))], dtype);

        Tensor y = Vector(dtype, -1000, -1001);
        ShouldEqual(Autodiff.Grad(v => v.LogSumExp(), y), S2, dtype);
        ShouldEqual(Autodiff.Grad(v => v.LogSoftmax().Sum(), y), [1 - (2 * S2[0]), 1 - (2 * S2[1])], dtype);
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void TangentsAtLargeInputs(DType dtype)
    {
        Tensor x = Vector(dtype, 1000, 1001, 1002);
        double[] t = [1.0, -2.0, 0.25];
        Tensor tangent = Vector(dtype, t);
        double st = Dot(S3, t);

        // logsumexp: ⟨s, t⟩; softmax: s ⊙ (t − ⟨s, t⟩); log-softmax: t − ⟨s, t⟩.
        ShouldEqual(Autodiff.Jvp(v => v.LogSumExp(), x, tangent).Tangent, [st], dtype);
        ShouldEqual(Autodiff.Jvp(v => v.Softmax(), x, tangent).Tangent, [.. S3.Select((s, i) => s * (t[i] - st))], dtype);
        ShouldEqual(Autodiff.Jvp(v => v.LogSoftmax(), x, tangent).Tangent, [.. t.Select(ti => ti - st)], dtype);
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void HessianVectorProductAtLargeInputs(DType dtype)
    {
        // Forward over reverse: the Hessian of logsumexp is diag(s) − s·sᵀ, so H·v = s ⊙ (v − ⟨s, v⟩).
        Tensor x = Vector(dtype, 1000, 1001, 1002);
        double[] v = [1.0, 0.0, -1.0];
        double sv = Dot(S3, v);

        Tensor hv = Autodiff.Jvp(p => Autodiff.Grad(q => q.LogSumExp(), p), x, Vector(dtype, v)).Tangent;

        ShouldEqual(hv, [.. S3.Select((s, i) => s * (v[i] - sv))], dtype);
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void EveryAxisOfAMatrixIsStable(DType dtype)
    {
        // Rows go through the contiguous kernel, columns through the strided one: both must shift by the max.
        Tensor rows = Matrix(dtype, [1000, 1001, 1002], [-1000, -1001, -1002]);
        Tensor columns = rows.Transpose().Detach();
        // softmax([-1000, -1001, -1002]) = softmax([2, 1, 0]): S3 reversed; its log-sum-exp is -1002 + log(1 + e + e²).
        double[] lowRow = [S3[2], S3[1], S3[0]];

        foreach ((Tensor softmax, Tensor logSumExp) in new[]
        {
            (rows.Softmax(axis: 1), rows.LogSumExp(axis: 1)),
            (columns.Softmax(axis: 0).Transpose(), columns.LogSumExp(axis: 0)),
        })
        {
            ShouldEqual(softmax, [.. S3, .. lowRow], dtype);
            ShouldEqual(logSumExp, [1000 + Math.Log(Z), -1002 + Math.Log(Z)], dtype);
        }

        ShouldEqual(columns.LogSoftmax(axis: 0).Transpose(), [.. S3.Select(s => Math.Log(s)), .. lowRow.Select(s => Math.Log(s))], dtype);
        ShouldEqual(Autodiff.Grad(m => m.LogSumExp(axis: 0).Sum(), columns).Transpose(), [.. S3, .. lowRow], dtype);
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void InfiniteInputs(DType dtype)
    {
        // PyTorch's convention: the shift is 0 where the max is infinite, so −∞ rows and +∞ entries give no ∞ − ∞.
        Vector(dtype, double.NegativeInfinity, double.NegativeInfinity).LogSumExp().Item().Should().Be(double.NegativeInfinity);
        Vector(dtype, double.PositiveInfinity, 0).LogSumExp().Item().Should().Be(double.PositiveInfinity);
        Vector(dtype, 0, double.NegativeInfinity).Softmax().ToArray<double>().Should().Equal(1, 0);
        Vector(dtype, 0, double.NegativeInfinity).LogSoftmax().ToArray<double>().Should().Equal(0, double.NegativeInfinity);

        // A +∞ in the row: PyTorch's and JAX's softmax and log-softmax compute ∞ − ∞ in the shift and give NaN for the
        // whole row (pytorch/pytorch#6864, jax-ml/jax#21495), and so does cross-entropy through log-softmax.
        Vector(dtype, double.PositiveInfinity, 0).Softmax().ToArray<double>().Should().Equal(double.NaN, double.NaN);
        Vector(dtype, double.PositiveInfinity, 0).LogSoftmax().ToArray<double>().Should().Equal(double.NaN, double.NaN);
        Vector(dtype, double.NaN, 0).Softmax().ToArray<double>().Should().Equal(double.NaN, double.NaN);
        Vector(dtype, double.NegativeInfinity, double.NegativeInfinity).Softmax().ToArray<double>().Should().Equal(double.NaN, double.NaN);
        Tensor columns = Tensor.FromArray(new double[,] { { double.PositiveInfinity, 1 }, { 0, 2 } }).To(dtype);
        double[] byColumn = columns.Softmax(axis: 0).ToArray<double>();
        byColumn[0].Should().Be(double.NaN, "the column with +∞");
        byColumn[2].Should().Be(double.NaN, "the column with +∞");
        byColumn[1].Should().BeApproximately(1 / (1 + Math.E), 1e-7, "softmax([1, 2])₀ = σ(−1), to Float32 rounding");
        byColumn[3].Should().BeApproximately(1 / (1 + Math.Exp(-1)), 1e-7, "softmax([1, 2])₁ = σ(1)");

        // Cross-entropy with labels, on both of its paths (a short row, batched; a long row, one pass per row).
        foreach (int classes in new[] { 3, 70 })
        {
            var logits = new double[2, classes];
            logits[0, 1] = double.PositiveInfinity;
            logits[1, 1] = 1;
            Tensor z = Tensor.FromArray(logits).To(dtype);
            Tensor.SoftmaxCrossEntropy(z, [0, 1]).ToArray<double>()[0].Should().Be(double.NaN, $"{classes} classes");
            Tensor.SoftmaxCrossEntropy(z, [1, 1]).ToArray<double>()[0].Should().Be(double.NaN, $"{classes} classes, the +∞ class");
            Tensor.SoftmaxCrossEntropy(z, [0, 1]).ToArray<double>()[1].Should().BeGreaterThan(0, "the other row is untouched");
            double[] gradient = Autodiff.Grad(v => Tensor.SoftmaxCrossEntropy(v, [0, 1]).Sum(), z).ToArray<double>();
            gradient.Take(classes).Should().OnlyContain(g => double.IsNaN(g));
            gradient.Skip(classes).Should().OnlyContain(g => double.IsFinite(g));
        }
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void SignKeepsNaN(DType dtype)
    {
        // NumPy's and IEEE's convention; PyTorch's Sign gives 0 for NaN (pytorch/pytorch#41245, open).
        Vector(dtype, double.NaN, -0.0, 0.0, -2, 3, double.NegativeInfinity).Sign().ToArray<double>()
            .Should().Equal(double.NaN, 0, 0, -1, 1, -1);
        Autodiff.Grad(v => v.Sign().Sum(), Vector(dtype, double.NaN, 1)).ToArray<double>().Should().Equal(0, 0);
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void ReluPassesNoNonFiniteCotangentWhereItIsFlat(DType dtype)
    {
        // PyTorch's threshold_backward selects (where(x <= 0, 0, g)) rather than multiplying by a mask, so ∞ and NaN
        // cotangents stop where the input is not positive instead of becoming 0·∞ = NaN, and at a NaN input (not ≤ 0)
        // the cotangent passes.
        Tensor x = Vector(dtype, -1, 0, 2, double.NaN);
        Pullback(v => v.Relu(), x, [double.PositiveInfinity, double.NaN, double.NegativeInfinity, 5])
            .ToArray<double>().Should().Equal(0, 0, double.NegativeInfinity, 5);
        Autodiff.Jvp(v => v.Relu(), x, Vector(dtype, double.NaN, 1, 3, 1)).Tangent.ToArray<double>().Should().Equal(0, 0, 3, 1);
    }

    private static Tensor Pullback(Func<Tensor, Tensor> f, Tensor x, double[] u) =>
        Autodiff.Vjp(f, x).Pullback(Vector(x.DType, u));

    private static Tensor Vector(DType dtype, params double[] values) => Tensor.FromArray(values).To(dtype);

    private static Tensor Matrix(DType dtype, double[] first, double[] second) =>
        Tensor.FromArray([.. first, .. second], 2, first.Length).To(dtype);

    private static double Dot(double[] a, double[] b) => a.Select((x, i) => x * b[i]).Sum();

    // Float32 keeps about 7 significant digits; relative to the magnitude, so 1002.41 is held to ~1e-3.
    private static void ShouldEqual(Tensor actual, double[] expected, DType dtype)
    {
        actual.DType.Should().Be(dtype);
        double tolerance = dtype == DType.Float32 ? 2e-6 : 1e-13;
        double[] values = actual.ToArray<double>();
        values.Should().OnlyContain(v => double.IsFinite(v));
        values.Should().Equal(expected, (a, e) => Math.Abs(a - e) <= tolerance * Math.Max(1, Math.Abs(e)));
    }
}
