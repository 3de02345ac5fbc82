namespace NeuralNet.Tests.OpTable;

using NeuralNet;

/// <summary>
/// Every (op, case) of <see cref="OpCatalog"/> in Float64: the VJP and the JVP against central finite
/// differences, the transpose identity ⟨u, J·v⟩ = ⟨Jᵀ·u, v⟩ between the two modes, and, for rows of order 2,
/// the derivatives of the VJP itself (grad of grad, forward over reverse).
/// </summary>
public class OpTableTests
{
    // Finite differences with h = 1e-6 are accurate to about 1e-9 here; 1e-7 leaves room only for rounding.
    private const double FiniteDifferenceTolerance = 1e-7;

    // Both sides are exact products up to float64 rounding, so they agree far more tightly.
    private const double TransposeTolerance = 1e-12;

    private const int Seed = 20260;

    /// <summary>Every (row, case) by name.</summary>
    public static IEnumerable<object[]> Cases => OpCatalog.Cases();

    /// <summary>The (row, case) pairs whose rules are twice differentiable.</summary>
    public static IEnumerable<object[]> SecondOrderCases => OpCatalog.Cases(minOrder: 2);

    [Theory]
    [MemberData(nameof(Cases))]
    public void VjpMatchesFiniteDifferences(string op, string label)
    {
        GradCheckResult result = Check(op, label);
        result.VjpErrors.Should().OnlyContain(e => e <= FiniteDifferenceTolerance, result.ToString());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void JvpMatchesFiniteDifferences(string op, string label)
    {
        GradCheckResult result = Check(op, label);
        result.JvpErrors.Should().OnlyContain(e => e <= FiniteDifferenceTolerance, result.ToString());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void JvpIsTheTransposeOfVjp(string op, string label)
    {
        var (f, xs) = OpCatalog.Sample(op, label, Seed);
        Tensor[] vs = [.. xs.Select((x, i) => Tensor.RandomNormal(x.Shape, Seed + 100 + i, dtype: DType.Float64))];

        var (value, pullback) = Autodiff.Vjp(f, xs);
        Tensor u = Tensor.RandomNormal(value.Shape, Seed + 99, dtype: DType.Float64);
        Tensor[] jtu = pullback(u);
        Tensor jv = Autodiff.Jvp(f, xs, vs).Tangent;

        double left = Dot(u, jv);
        double right = xs.Select((_, i) => Dot(jtu[i], vs[i])).Sum();
        double error = Math.Abs(left - right) / Math.Max(1, Math.Max(Math.Abs(left), Math.Abs(right)));
        error.Should().BeLessThanOrEqualTo(TransposeTolerance, $"<u, Jv> = {left:R} and <J^T u, v> = {right:R}");
    }

    [Theory]
    [MemberData(nameof(SecondOrderCases))]
    public void VjpIsItselfDifferentiable(string op, string label)
    {
        // The pullback with a fixed cotangent u is a function of the inputs; GradCheck checks both of its modes.
        var (f, xs) = OpCatalog.Sample(op, label, Seed);
        Tensor u = Tensor.RandomNormal(f(xs).Shape, Seed + 99, dtype: DType.Float64);
        for (int i = 0; i < xs.Length; i++)
        {
            int input = i;
            GradCheckResult result = Autodiff.GradCheck(
                x => Autodiff.Vjp(f, x).Pullback(u)[input], xs, FiniteDifferenceTolerance, seed: Seed);
            result.Passed.Should().BeTrue($"the cotangent of input {input}: {result}");
        }
    }

    [Theory]
    [MemberData(nameof(SecondOrderCases))]
    public void HessianVectorProductMatchesFiniteDifferencesOfTheGradient(string op, string label)
    {
        // g(x) = ⟨u, f(x)⟩ is scalar; its HVP (forward-over-reverse) must equal the central difference of ∇g along v,
        // (∇g(x + εv) − ∇g(x − εv)) / 2ε, whose error is O(ε²) plus rounding O(1e-16/ε): 1e-6 leaves a wide margin.
        var (f, xs) = OpCatalog.Sample(op, label, Seed);
        Tensor u = Tensor.RandomNormal(f(xs).Shape, Seed + 99, dtype: DType.Float64);
        Tensor[] vs = [.. xs.Select((x, i) => Tensor.RandomNormal(x.Shape, Seed + 7 + i, dtype: DType.Float64))];
        Tensor G(Tensor[] x) => (f(x) * u).Sum();

        Tensor[] hv = Autodiff.HessianVectorProduct(G, xs, vs);
        const double eps = 1e-5;
        Tensor[] plus = Autodiff.Grad(G, [.. xs.Select((x, i) => x + (eps * vs[i]))]);
        Tensor[] minus = Autodiff.Grad(G, [.. xs.Select((x, i) => x - (eps * vs[i]))]);
        for (int i = 0; i < xs.Length; i++)
        {
            double[] actual = hv[i].ToArray<double>();
            double[] expected = ((plus[i] - minus[i]) / (2 * eps)).ToArray<double>();
            hv[i].Shape.Should().Be(xs[i].Shape);
            for (int k = 0; k < actual.Length; k++)
            {
                double error = Math.Abs(actual[k] - expected[k]) / Math.Max(1, Math.Max(Math.Abs(actual[k]), Math.Abs(expected[k])));
                error.Should().BeLessThan(1e-6, $"input {i}, element {k}: HVP {actual[k]:R}, finite difference {expected[k]:R}");
            }
        }
    }

    [Fact]
    public void EveryRowIsWellFormed()
    {
        OpCatalog.All.Select(r => r.Name).Should().OnlyHaveUniqueItems();
        foreach (OpSpec row in OpCatalog.All)
        {
            row.Cases.Should().HaveCountGreaterThanOrEqualTo(3, row.Name);
            row.Cases.Select(c => c.Label).Should().OnlyHaveUniqueItems(row.Name);

            // A case using the row's own function must supply one shape per operand.
            row.Cases.Where(c => c.Function is null).Should().OnlyContain(c => c.Shapes.Length == row.Arity, row.Name);

            // The samplers must honour the case's shapes (a scalar stays a scalar) and give Float64.
            foreach (OpCase sample in row.Cases)
            {
                Tensor[] inputs = row.Inputs(sample, Seed);
                inputs.Select(x => x.Shape).Should().Equal(sample.Shapes, $"{row.Name} {sample.Label}");
                inputs.Should().OnlyContain(x => x.DType == DType.Float64);
            }
        }
    }

    private static GradCheckResult Check(string op, string label)
    {
        var (f, xs) = OpCatalog.Sample(op, label, Seed);
        return Autodiff.GradCheck(f, xs, FiniteDifferenceTolerance, seed: Seed);
    }

    private static double Dot(Tensor a, Tensor b)
    {
        a.Shape.Should().Be(b.Shape);
        double[] x = a.ToArray<double>();
        double[] y = b.ToArray<double>();
        return x.Select((v, k) => v * y[k]).Sum();
    }
}
