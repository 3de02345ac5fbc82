namespace NeuralNet.Tests.Autodiff;

using NeuralNet;

/// <summary>
/// Autodiff.Cost on graphs counted by hand from the conventions (element-wise ops 1 FLOP per output element, a matrix
/// product 2mkn, a sum of n elements n − 1, shape ops 0; bytes = elements read + written × 8 for Float64, × 4 for
/// Float32), and from the library's rules as written in the op files.
/// </summary>
public class CostReportTests
{
    /// <summary>The notes' trace of f(x) = √(x² + eˣ²): a = x², b = eᵃ, c = a + b, f = √c.</summary>
    private static Tensor SqrtExp(Tensor x)
    {
        Tensor a = x.Square();
        return (a + a.Exp()).Sqrt();
    }

    private static (string Op, CostStep Step, long Flops, long Bytes)[] Ops(CostReport report, CostPhase phase) =>
        [.. report.Rows.Where(r => r.Phase == phase).Select(r => (r.Op, r.Step, r.Flops, r.Bytes))];

    [Fact]
    public void SqrtOfSquarePlusExpSquareMatchesTheNotesTable()
    {
        CostReport report = Autodiff.Cost(SqrtExp, Tensor.Scalar(0.7, DType.Float64));

        // f: four scalar ops, 1 FLOP each. Bytes at 8 per Float64 element: a unary op reads 1 and writes 1 (16), the
        // add reads 2 and writes 1 (24). Total 4 FLOPs, 16 + 16 + 24 + 16 = 72 bytes.
        Ops(report, CostPhase.Function).Should().Equal(
            ("Square", CostStep.Primal, 1L, 16L),
            ("Exp", CostStep.Primal, 1L, 16L),
            ("Add", CostStep.Primal, 1L, 24L),
            ("Sqrt", CostStep.Primal, 1L, 16L));

        // JVP: each primal op, then its tangent rule t·f′ right after it.
        //   ȧ = ẋ·(2·x): 2·x is a multiply by the constant 2, then one more multiply   → 2 FLOPs
        //   ḃ = ȧ·b (exp′ = its output)                                              → 1
        //   ċ = ȧ + ḃ                                                                → 1
        //   ḟ = ċ·(0.5 / f) (sqrt′ = 0.5 / its output)                               → 2
        // Every tangent op is binary on scalars: 24 bytes. Tangent total 6 FLOPs, 144 bytes; with the primal 10 and 216.
        Ops(report, CostPhase.Jvp).Should().Equal(
            ("Square", CostStep.Primal, 1L, 16L),
            ("Multiply", CostStep.Tangent, 1L, 24L),
            ("Multiply", CostStep.Tangent, 1L, 24L),
            ("Exp", CostStep.Primal, 1L, 16L),
            ("Multiply", CostStep.Tangent, 1L, 24L),
            ("Add", CostStep.Primal, 1L, 24L),
            ("Add", CostStep.Tangent, 1L, 24L),
            ("Sqrt", CostStep.Primal, 1L, 16L),
            ("Divide", CostStep.Tangent, 1L, 24L),
            ("Multiply", CostStep.Tangent, 1L, 24L));

        // VJP: the forward pass records the four primal ops, then the backward pass from f̄ = 1:
        //   c̄ = f̄·(0.5 / f)                      → divide, multiply   (2 FLOPs)
        //   the add passes c̄ to a and b as is     → nothing
        //   b's contribution to a: b̄·b            → multiply           (1)
        //   ā = c̄ + b̄·b (two paths meet at a)     → add                (1)
        //   x̄ = ā·(2·x)                          → multiply, multiply (2)
        // Adjoint total 6 FLOPs, 6 × 24 = 144 bytes; with the forward pass 10 and 216.
        Ops(report, CostPhase.Vjp).Should().Equal(
            ("Square", CostStep.Primal, 1L, 16L),
            ("Exp", CostStep.Primal, 1L, 16L),
            ("Add", CostStep.Primal, 1L, 24L),
            ("Sqrt", CostStep.Primal, 1L, 16L),
            ("Divide", CostStep.Adjoint, 1L, 24L),
            ("Multiply", CostStep.Adjoint, 1L, 24L),
            ("Multiply", CostStep.Adjoint, 1L, 24L),
            ("Add", CostStep.Adjoint, 1L, 24L),
            ("Multiply", CostStep.Adjoint, 1L, 24L),
            ("Multiply", CostStep.Adjoint, 1L, 24L));

        report.Total(CostPhase.Function).Should().Be(new CostTotal(4, 72));
        report.Total(CostPhase.Jvp, CostStep.Tangent).Should().Be(new CostTotal(6, 144));
        report.Total(CostPhase.Jvp).Should().Be(new CostTotal(10, 216));
        report.Total(CostPhase.Vjp, CostStep.Adjoint).Should().Be(new CostTotal(6, 144));
        report.Total(CostPhase.Vjp).Should().Be(new CostTotal(10, 216));
        report.JvpRatio.Should().Be(2.5);          // 10 / 4
        report.VjpRatio.Should().Be(2.5);          // 10 / 4
        report.JvpBytesRatio.Should().Be(3.0);     // 216 / 72
        report.VjpBytesRatio.Should().Be(3.0);
    }

    [Fact]
    public void DenseLayerBackwardRunsTwiceTheForwardGemmFlops()
    {
        // y = x·Wᵀ + b with batch n = 4, in d = 3, out h = 2 (Float32): x [4,3], W [2,3], b [2], y [4,2].
        const int n = 4, d = 3, h = 2;
        Tensor x = Tensor.Ones([n, d]), w = Tensor.Ones([h, d]), b = Tensor.Ones([h]);
        CostReport report = Autodiff.Cost(v => Tensor.Linear(v[0], v[1], v[2]), [x, w, b]);

        // Forward: one Linear, 2·n·d·h = 2·4·3·2 = 48 FLOPs (the bias seeds the sums); bytes (12 + 6 + 2 + 8)·4 = 112.
        Ops(report, CostPhase.Function).Should().Equal(("Linear", CostStep.Primal, 48L, 112L));

        // Backward from Ȳ [4,2]: dx = Ȳ·W, [4,2]·[2,3], 2·4·2·3 = 48 FLOPs, bytes (8 + 6 + 12)·4 = 104;
        // dW = Ȳᵀ·x, [2,4]·[4,3], 2·2·4·3 = 48, bytes (8 + 12 + 6)·4 = 104; db = Σ rows of Ȳ, 2 sums of 4: 2·3 = 6,
        // bytes (8 + 2)·4 = 40.
        Ops(report, CostPhase.Vjp).Should().Equal(
            ("Linear", CostStep.Primal, 48L, 112L),
            ("MatMul", CostStep.Adjoint, 48L, 104L),
            ("MatMul", CostStep.Adjoint, 48L, 104L),
            ("Sum", CostStep.Adjoint, 6L, 40L));
        long forward = report.Total(CostPhase.Function, op: "Linear").Flops;
        report.Total(CostPhase.Vjp, CostStep.Adjoint, "MatMul").Flops.Should().Be(2 * forward);
        report.VjpRatio.Should().Be((48 + 96 + 6) / 48.0);

        // JVP: ẏ = ẋ·Wᵀ + x·Ẇᵀ + ḃ: two products of 48 FLOPs, ḃ broadcast to [4,2] (0 FLOPs, (2 + 8)·4 = 40 bytes),
        // two adds of 8. Tangent total 48 + 48 + 8 + 8 = 112.
        Ops(report, CostPhase.Jvp).Select(r => (r.Op, r.Flops)).Should().Equal(
            ("Linear", 48L), ("MatMul", 48L), ("MatMul", 48L), ("Add", 8L), ("BroadcastTo", 0L), ("Add", 8L));
        report.Total(CostPhase.Jvp, CostStep.Tangent).Flops.Should().Be(112);
    }

    [Fact]
    public void DenseLayerWithAConstantInputRunsOneBackwardGemm()
    {
        // A first layer: x needs no gradient, so the backward pass computes dW (48 FLOPs, as above) and db only.
        Tensor x = Tensor.Ones([4, 3]), w = Tensor.Ones([2, 3]), b = Tensor.Ones([2]);
        CostReport report = Autodiff.Cost(v => Tensor.Linear(x, v[0], v[1]), [w, b]);

        Ops(report, CostPhase.Vjp).Select(r => (r.Op, r.Flops)).Should().Equal(("Linear", 48L), ("MatMul", 48L), ("Sum", 6L));
    }

    [Fact]
    public void AConvolutionCountsItsProductsAtTwoFlopsPerMultiplyAdd()
    {
        // x [2,3,5,5] and w [4,3,3,3]: N = 2 images, P = 4 filters of Q = 3·3·3 = 27 weights, R = 3·3 = 9 positions.
        // Every product is N·P·Q·R = 1944 multiply-adds, 3888 FLOPs: the forward (weight times each image's columns),
        // and backward the weight's gradient (Σ over images of Ḡ[n]·cols[n]ᵀ) and the columns' (Wᵀ·Ḡ[n]).
        Tensor x = Tensor.Ones([2, 3, 5, 5]), w = Tensor.Ones([4, 3, 3, 3]), b = Tensor.Ones([4]);
        CostReport report = Autodiff.Cost(v => Tensor.Conv2d(v[0], v[1], v[2]), [x, w, b]);

        report.Total(CostPhase.Function, op: "SharedLeftProduct").Flops.Should().Be(3888);
        report.Total(CostPhase.Vjp, CostStep.Adjoint, "SummedOuter").Flops.Should().Be(3888);
        report.Total(CostPhase.Vjp, CostStep.Adjoint, "SharedLeftProduct").Flops.Should().Be(3888);
    }

    [Fact]
    public void MatMulCountsTwoMkn()
    {
        // [m,k]·[k,n] = [5,4]·[4,3]: 2·5·4·3 = 120 FLOPs; bytes (20 + 12 + 15)·8 = 376.
        Tensor a = Tensor.Ones([5, 4], DType.Float64), b = Tensor.Ones([4, 3], DType.Float64);
        CostReport report = Autodiff.Cost((x, y) => x.MatMul(y), a, b);

        Ops(report, CostPhase.Function).Should().Equal(("MatMul", CostStep.Primal, 120L, 376L));

        // Ā = Ḡ·Bᵀ, [5,3]·[3,4]: 2·5·3·4 = 120; B̄ = Aᵀ·Ḡ, [4,5]·[5,3]: 2·4·5·3 = 120. Bytes (15 + 12 + 20)·8 and
        // (20 + 15 + 12)·8, both 376.
        Ops(report, CostPhase.Vjp).Should().Equal(
            ("MatMul", CostStep.Primal, 120L, 376L),
            ("MatMul", CostStep.Adjoint, 120L, 376L),
            ("MatMul", CostStep.Adjoint, 120L, 376L));
    }

    [Fact]
    public void TheFusedLinearReluCountsItsProductAndOneFlopPerOutputForTheRelu()
    {
        // x [3,4], W [5,4], b [5]: the product 2·3·4·5 = 120 FLOPs, the ReLU 15 more: 135; bytes (12 + 20 + 5 + 15)·8 = 416.
        Tensor x = Tensor.Ones([3, 4], DType.Float64), w = Tensor.Ones([5, 4], DType.Float64), b = Tensor.Ones([5], DType.Float64);
        CostReport report = Autodiff.Cost(v => Tensor.LinearRelu(v[0], v[1], v[2]), [x, w, b]);

        Ops(report, CostPhase.Function).Should().Equal(("LinearRelu", CostStep.Primal, 135L, 416L));

        // Backward: the mask once (ReluGradient, 15 FLOPs), then Linear's rules
        // on the masked cotangent: x̄ = Ḡ'·W [3,5]·[5,4] 120, W̄ = Ḡ'ᵀ·x [5,3]·[3,4] 120, b̄ = Σ rows of Ḡ' 15 − 5 = 10.
        Ops(report, CostPhase.Vjp).Select(row => (row.Op, row.Flops)).Should().Equal(
            ("LinearRelu", 135L), ("ReluGradient", 15L), ("MatMul", 120L), ("MatMul", 120L), ("Sum", 10L));
    }

    [Fact]
    public void BroadcastCountsEachInputOnceAndTheSumBackToItsShape()
    {
        // u [2,3] · v [3]: v broadcasts over the rows. 6 output elements: 6 FLOPs; bytes (6 + 3 + 6)·8 = 120.
        Tensor u = Tensor.Ones([2, 3], DType.Float64), v = Tensor.Ones([3], DType.Float64);
        CostReport report = Autodiff.Cost((p, q) => p * q, u, v);

        Ops(report, CostPhase.Function).Should().Equal(("Multiply", CostStep.Primal, 6L, 120L));

        // JVP: u̇·v (6 FLOPs, 120 bytes), u·v̇ (6, 120), their sum [2,3] + [2,3] (6, 18·8 = 144).
        Ops(report, CostPhase.Jvp).Should().Equal(
            ("Multiply", CostStep.Primal, 6L, 120L),
            ("Multiply", CostStep.Tangent, 6L, 120L),
            ("Multiply", CostStep.Tangent, 6L, 120L),
            ("Add", CostStep.Tangent, 6L, 144L));

        // VJP: ū = Ḡ·v (6, 120); Ḡ·u [2,3]·[2,3] (6, 144) is summed down to v's shape [3]: a sum over the rows kept as
        // [1,3], 6 − 3 = 3 FLOPs and (6 + 3)·8 = 72 bytes, then a reshape to [3], a view: 0 and 0.
        Ops(report, CostPhase.Vjp).Should().Equal(
            ("Multiply", CostStep.Primal, 6L, 120L),
            ("Multiply", CostStep.Adjoint, 6L, 120L),
            ("Multiply", CostStep.Adjoint, 6L, 144L),
            ("Sum", CostStep.Adjoint, 3L, 72L),
            ("Reshape", CostStep.Adjoint, 0L, 0L));
        report.Total(CostPhase.Vjp, CostStep.Adjoint).Should().Be(new CostTotal(15, 336));
    }

    [Fact]
    public void CustomOpCountsTheOpsItsForwardRuns()
    {
        // x³ as x·x·x: two multiplies, and no row for the custom op itself.
        CostReport report = Autodiff.Cost(x => new Cube().Apply(x), Tensor.Scalar(2.0, DType.Float64));

        Ops(report, CostPhase.Function).Select(r => r.Op).Should().Equal("Multiply", "Multiply");
    }

    [Fact]
    public void NothingIsRecordedOutsideAReport()
    {
        CostObserver.Current.Should().BeNull();
        Tensor x = Tensor.Scalar(0.7, DType.Float64);
        CostReport report = Autodiff.Cost(SqrtExp, x);
        int rows = report.Rows.Count;

        CostObserver.Current.Should().BeNull();
        Autodiff.Grad(SqrtExp, x);
        Autodiff.Jvp(SqrtExp, x, Tensor.OnesLike(x));
        report.Rows.Should().HaveCount(rows);

        Action failing = () => Autodiff.Cost(v => throw new InvalidOperationException("f failed"), x);
        failing.Should().Throw<InvalidOperationException>();
        CostObserver.Current.Should().BeNull();
    }

    [Fact]
    public void ToStringPrintsOneLinePerOpAndTheTotals()
    {
        string table = Autodiff.Cost(SqrtExp, Tensor.Scalar(0.7, DType.Float64)).ToString();
        string[] lines = table.Split(Environment.NewLine);

        lines[0].Should().StartWith("phase  step     op");
        lines.Count(l => l.StartsWith("VJP    adjoint", StringComparison.Ordinal)).Should().Be(6);
        lines.Should().Contain(l => l.StartsWith("JVP ", StringComparison.Ordinal) && l.EndsWith("2.50      3.00", StringComparison.Ordinal));
    }

    private sealed class Cube : CustomOp
    {
        public override string Name => "Cube";

        public override Tensor Forward(IReadOnlyList<Tensor> inputs) => inputs[0] * inputs[0] * inputs[0];

        public override Tensor?[] Vjp(Tensor cotangent, IReadOnlyList<Tensor> inputs, Tensor output) =>
            [3.0 * cotangent * inputs[0].Square()];
    }
}
