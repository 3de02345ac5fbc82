namespace NeuralNet.Tests.Autodiff;

using NeuralNet;

/// <summary>
/// What a training step's tape gives back (see <c>Tape.Pooling.cs</c>), from the autodiff side: every result a caller
/// receives stays the caller's, at every level, when the computation ran inside a <see cref="Tape.Record"/> scope.
/// </summary>
[Collection(SerialCollection.Name)]
public class StepMemoryTests
{
    // Large enough to be pooled (1 KB and up): 32 × 64 doubles.
    private static readonly Tensor X = Tensor.RandomNormal([32, 64], seed: 1, dtype: DType.Float64);
    private static readonly Tensor V = Tensor.RandomNormal([32, 64], seed: 2, dtype: DType.Float64);

    // f(x) = Σ x³ / 3: ∇f = x², H·v = 2·x ⊙ v.
    private static Tensor Cube(Tensor x) => (x * x * x).Sum() / 3.0;

    private static double[] Expected(Func<double, double, double> f) =>
        [.. X.ToArray<double>().Zip(V.ToArray<double>(), f)];

    [Fact]
    public void AHessianVectorProductInsideATrainingStepIsTheCallers()
    {
        Tensor hvp;
        using (Tape.Record())
        {
            hvp = Autodiff.HessianVectorProduct(Cube, X, V);
        }

        hvp.ToArray<double>().Should().Equal(Expected((x, v) => 2 * x * v), (a, b) => Math.Abs(a - b) <= 1e-12);
    }

    [Fact]
    public void AForwardOverReverseTangentOfATapeGradientIsTheCallers()
    {
        // The gradient's tangent is made during the backward pass, on the tangent side of a dual: it must escape with
        // the gradient, not go back to the pool with the pass's other values.
        Tensor gradient, tangent;
        using (var dual = DualLevel.Enter())
        {
            using (var tape = Tape.Record())
            {
                Tensor x = tape.Watch(dual.MakeDual(X, V));
                (gradient, tangent) = dual.Unpack(tape.Gradient(Cube(x), x));
            }
        }

        gradient.ToArray<double>().Should().Equal(Expected((x, _) => x * x), (a, b) => Math.Abs(a - b) <= 1e-12);
        tangent.ToArray<double>().Should().Equal(Expected((x, v) => 2 * x * v), (a, b) => Math.Abs(a - b) <= 1e-12);
    }

    [Fact]
    public void GradientsOfATapeKeptOpenForManyPassesStayValid()
    {
        // Each pass gives its own temporaries back at once; the results of earlier passes are never among them.
        var results = new List<Tensor>();
        using (var tape = Tape.Record())
        {
            Tensor x = tape.Watch(X);
            for (int pass = 0; pass < 4; pass++)
            {
                results.Add(tape.Gradient(Cube(x * (pass + 1.0)), x));
            }
        }

        for (int pass = 0; pass < 4; pass++)
        {
            double scale = pass + 1.0;
            results[pass].ToArray<double>().Should().Equal(
                Expected((x, _) => scale * scale * scale * x * x), (a, b) => Math.Abs(a - b) <= 1e-9 * Math.Max(1, Math.Abs(b)));
        }
    }

    [Fact]
    public void AUserAssignedGradientOfPooledSizeSurvivesBackward()
    {
        // Parameter.AccumulateGrad's "user-assigned Grad" branch computes Grad + gradient inside the backward pass:
        // the new Grad must escape the pass, not go back to the pool with its temporaries.
        var p = new Parameter(X);
        p.Grad = Tensor.Ones([32, 64], DType.Float64);
        using (var tape = Tape.Record())
        {
            tape.Backward((p * 2.0).Sum());
        }

        p.Grad!.ToArray<double>().Should().OnlyContain(v => v == 3.0);
    }

    [Fact]
    public void AVjpPullbackTakenInsideATrainingStepCanBeCalledAfterIt()
    {
        // f(x) = ∇Cube = x², whose inner backward values the Vjp's tape saves: under a transform's tape the outer
        // Record tape owns nothing.
        Func<Tensor, Tensor> pullback;
        using (Tape.Record())
        {
            (_, pullback) = Autodiff.Vjp(x => Autodiff.Grad(Cube, x), X);
        }

        pullback(V).ToArray<double>().Should().Equal(Expected((x, v) => 2 * x * v), (a, b) => Math.Abs(a - b) <= 1e-12);
    }

    [Fact]
    public void AnArgMaxAnOpKeepsGoesBackWithTheStepAndAStaleReadThrows()
    {
        Storage kept;
        using (Tape.Record())
        {
            kept = Tape.AllocateKept<int>(1024);
            kept.DataFor("MaxPool2d's arg-max").Length.Should().Be(1024);
        }

        var stale = () => kept.DataFor("MaxPool2d's arg-max");
        stale.Should().Throw<ObjectDisposedException>().WithMessage("MaxPool2d's arg-max: *temporary of a training step*");

        // Outside a step nothing owns it: the collector takes it once the op is gone.
        Tape.AllocateKept<int>(1024).IsReleased.Should().BeFalse();
    }

    [Fact]
    public void AMaxPoolPullbackTakenInsideATrainingStepCanBeCalledAfterIt()
    {
        // The transform's tape owns the pool's arg-max, not the Record tape around it, so the pullback still reads it.
        Tensor planes = X.Reshape(2, 4, 16, 16);
        Func<Tensor, Tensor> pullback;
        Tensor pooled;
        using (Tape.Record())
        {
            (pooled, pullback) = Autodiff.Vjp(x => Tensor.MaxPool2d(x, 2), planes);
        }

        Tensor g = pullback(Tensor.Ones(pooled.Shape, DType.Float64));
        g.Sum().Item().Should().Be(pooled.Size);
        (g * planes).Sum().Item().Should().BeApproximately(pooled.Sum().Item(), 1e-12);
    }

    [Fact]
    public void AMaxPoolsSecondDerivativeOnAnInnerTapeWorksAfterTheOuterTapeIsDisposedFirst()
    {
        // The arg-max belongs to the outer (root) tape, which gives it back only once the inner one is disposed too.
        var outer = Tape.Record();
        var inner = Tape.Record();
        Tensor x = inner.Watch(X.Reshape(2, 4, 16, 16));
        Tensor g = inner.Gradient(Tensor.MaxPool2d(x, 2).Square().Sum(), x, createGraph: true);
        outer.Dispose();
        Tensor gg = inner.Gradient(g.Sum(), x);
        inner.Dispose();

        // d/dx Σ (2·max) over the arg-max positions: 2 at each window's arg-max, 0 elsewhere.
        gg.ToArray<double>().Count(v => v == 2.0).Should().Be(2 * 4 * 8 * 8);
        gg.ToArray<double>().Count(v => v == 0.0).Should().Be((2 * 4 * 16 * 16) - (2 * 4 * 8 * 8));
    }

    [Fact]
    public void AnInnerTapeStillWorksAfterTheOuterTapeIsDisposedFirst()
    {
        // Tapes may be closed out of order (Tape.StopRecording skips closed ones): the outer one gives its buffers back
        // only once the inner tape, whose graph keeps its createGraph values for the second derivative, is disposed too.
        var outer = Tape.Record();
        var inner = Tape.Record();
        Tensor x = inner.Watch(X);
        Tensor g = inner.Gradient(Cube(x), x, createGraph: true);
        outer.Dispose();
        Tensor gg = inner.Gradient(g.Sum(), x);
        inner.Dispose();

        gg.ToArray<double>().Should().Equal(Expected((x, _) => 2 * x), (a, b) => Math.Abs(a - b) <= 1e-12);
    }

    [Fact]
    public void TransformsRunInsideAnOpenTapeDoNotPileUpTheirBackwardBuffers()
    {
        // The outer tape records nothing here (no parameters, nothing watched): a finished Grad call's backward buffers
        // must be garbage at once, not kept by the open tape until it is disposed.
        Tensor big = Tensor.RandomNormal([256, 128], seed: 3, dtype: DType.Float64); // 256 KB
        using (Tape.Record())
        {
            Autodiff.Grad(Cube, big);
            long before = GC.GetTotalMemory(forceFullCollection: true);
            for (int i = 0; i < 40; i++)
            {
                Autodiff.Grad(Cube, big);
            }

            long retained = GC.GetTotalMemory(forceFullCollection: true) - before;
            retained.Should().BeLessThan(8L << 20, "nothing of the 40 finished Grad calls is reachable by user code");
        }
    }

    [Fact]
    public void UnrecordedConvolutionsAndPoolsInsideAnOpenTapeKeepNoColumnsOrArgMax()
    {
        // Constant operands: nothing records the ops, so the columns (8 images × 72 rows × 1024 windows, 2.4 MB) and
        // the max pool's arg-max (64 KB) go back at once and the next call reuses them; an open tape holding them
        // until its Dispose kept 20 × 2.5 MB.
        Tensor x = Tensor.RandomNormal([8, 8, 32, 32], seed: 5), w = Tensor.RandomNormal([8, 8, 3, 3], seed: 6);
        double Evaluate() => Tensor.AvgPool2d(Tensor.MaxPool2d(Tensor.Conv2d(x, w, padding: 1), 2), 2, padding: 1).Sum().Item();
        using (Tape.Record())
        {
            double first = Evaluate();
            long before = GC.GetTotalMemory(forceFullCollection: true);
            for (int i = 0; i < 20; i++)
            {
                Evaluate().Should().Be(first);
            }

            long retained = GC.GetTotalMemory(forceFullCollection: true) - before;
            retained.Should().BeLessThan(2L << 20, "20 finished evaluations leave nothing reachable but the pool's few buffers");
        }
    }

    /// <summary>A straight-through op that keeps the last cotangent it saw, as a PyTorch tensor hook would.</summary>
    private sealed class RecordsGradient : CustomOp
    {
        public Tensor? Last { get; private set; }

        public override string Name => "RecordsGradient";

        public override Tensor Forward(IReadOnlyList<Tensor> inputs) => inputs[0] * 1.0;

        public override Tensor?[] Vjp(Tensor cotangent, IReadOnlyList<Tensor> inputs, Tensor output)
        {
            Last = cotangent * 1.0;
            return [cotangent];
        }
    }

    [Fact]
    public void AValueACustomOpRuleMakesAndKeepsIsGivenBackAtTheEndOfBackward()
    {
        var p = new Parameter(X);
        var hook = new RecordsGradient();
        using (var tape = Tape.Record())
        {
            tape.Backward((hook.Apply(p) * 2.0).Sum());
            hook.Last!.ToArray<double>().Should().OnlyContain(v => v == 2.0, "read inside the tape's scope, after Backward");
        }
    }

    // rows = 1: 512 bytes, under 1 KB, nothing is pooled (the control); rows = 32: 16 KB, pooled.
    [Theory]
    [InlineData(1)]
    [InlineData(32)]
    public void AnInnerTapeCanDifferentiateTheRootsGradientWithRespectToAWatchedCotangent(int rows)
    {
        // g = ∂(Σ u ⊙ sin x)/∂x = u ⊙ cos x with u watched by an inner tape: the root's own pass (no createGraph) is
        // recorded by the inner tape, which saves the pass's cos x; d/du Σ g² = 2 u ⊙ cos² x.
        Tensor xs = Tensor.RandomNormal([rows, 64], seed: 1, dtype: DType.Float64), vs = Tensor.RandomNormal([rows, 64], seed: 2, dtype: DType.Float64);
        double[] expected = [.. xs.ToArray<double>().Zip(vs.ToArray<double>(), (x, v) => 2 * v * Math.Cos(x) * Math.Cos(x))];
        using var root = Tape.Record();
        Tensor x = root.Watch(xs);
        Tensor y = x.Sin();
        using var inner = Tape.Record();
        Tensor u = inner.Watch(vs);
        Tensor g = root.Gradient(y, x, cotangent: u);
        Tensor dg = inner.Gradient((g * g).Sum(), u);

        dg.ToArray<double>().Should().Equal(expected, (a, b) => Math.Abs(a - b) <= 1e-9 * (1 + Math.Abs(b)));
    }
}
