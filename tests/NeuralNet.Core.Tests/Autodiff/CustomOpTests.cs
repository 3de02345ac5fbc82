namespace NeuralNet.Tests.Autodiff;

using NeuralNet;

/// <summary>User-defined ops work with every transform, and GradCheck catches a wrong rule.</summary>
public class CustomOpTests
{
    /// <summary>x³ with its VJP only: forward mode comes from transposing the VJP.</summary>
    private sealed class Cube : CustomOp
    {
        public override string Name => "Cube";

        public override Tensor Forward(IReadOnlyList<Tensor> inputs) => inputs[0] * inputs[0] * inputs[0];

        public override Tensor?[] Vjp(Tensor cotangent, IReadOnlyList<Tensor> inputs, Tensor output) =>
            [3.0 * cotangent * inputs[0].Square()];
    }

    /// <summary>a·sin(b), with both rules written out (the JVP sums each input's contribution).</summary>
    private sealed class ScaledSine : CustomOp
    {
        public int JvpCalls { get; private set; }

        public override string Name => "ScaledSine";

        public override Tensor Forward(IReadOnlyList<Tensor> inputs) => inputs[0] * inputs[1].Sin();

        public override Tensor?[] Vjp(Tensor cotangent, IReadOnlyList<Tensor> inputs, Tensor output) =>
            [cotangent * inputs[1].Sin(), cotangent * inputs[0] * inputs[1].Cos()];

        public override Tensor? Jvp(IReadOnlyList<Tensor?> tangents, IReadOnlyList<Tensor> inputs, Tensor output)
        {
            JvpCalls++;
            Tensor? result = null;
            if (tangents[0] is { } ta)
            {
                result = ta * inputs[1].Sin();
            }

            if (tangents[1] is { } tb)
            {
                Tensor term = tb * inputs[0] * inputs[1].Cos();
                result = result is null ? term : result + term;
            }

            return result;
        }
    }

    /// <summary>A deliberately wrong rule: the VJP of x² claimed to be x instead of 2x.</summary>
    private sealed class WrongSquare : CustomOp
    {
        public override string Name => "WrongSquare";

        public override Tensor Forward(IReadOnlyList<Tensor> inputs) => inputs[0].Square();

        public override Tensor?[] Vjp(Tensor cotangent, IReadOnlyList<Tensor> inputs, Tensor output) => [cotangent * inputs[0]];
    }

    /// <summary>A VJP that forgets an input.</summary>
    private sealed class MissingCotangent : CustomOp
    {
        public override string Name => "MissingCotangent";

        public override Tensor Forward(IReadOnlyList<Tensor> inputs) => inputs[0] * inputs[1];

        public override Tensor?[] Vjp(Tensor cotangent, IReadOnlyList<Tensor> inputs, Tensor output) => [cotangent * inputs[1]];
    }

    /// <summary>The identity with rules of the caller's choosing, for the checks on what a rule returns.</summary>
    private sealed class Returning(Func<Tensor, Tensor?[]?> vjp, Func<Tensor, Tensor?>? jvp = null) : CustomOp
    {
        public override string Name => "Returning";

        public override Tensor Forward(IReadOnlyList<Tensor> inputs) => inputs[0] * 1.0;

        public override Tensor?[] Vjp(Tensor cotangent, IReadOnlyList<Tensor> inputs, Tensor output) => vjp(cotangent)!;

        public override Tensor? Jvp(IReadOnlyList<Tensor?> tangents, IReadOnlyList<Tensor> inputs, Tensor output) =>
            jvp is null ? base.Jvp(tangents, inputs, output) : jvp(tangents[0]!);
    }

    [Fact]
    public void ReverseForwardAndSecondOrderMatchTheHandDerivedDerivatives()
    {
        // d/dx x³ = 3x² = 12 at x = 2; d²/dx² = 6x = 12.
        var x = Tensor.Scalar(2, DType.Float64);
        var cube = new Cube();
        cube.Apply(x).Item().Should().Be(8);
        // Apply takes params, so a lambda's parameter type is written out to pick the one-input transforms.
        Tensor F(Tensor v) => cube.Apply(v);
        Autodiff.Grad(F, x).Item().Should().Be(12);
        Autodiff.Jvp(F, x, Tensor.OnesLike(x)).Tangent.Item().Should().Be(12);
        Autodiff.Grad((Tensor u) => Autodiff.Grad(F, u), x).Item().Should().Be(12);
        Autodiff.Jvp((Tensor u) => Autodiff.Grad(F, u), x, Tensor.OnesLike(x)).Tangent.Item().Should().Be(12);
    }

    [Fact]
    public void GradCheckPassesForCorrectRulesOnTensors()
    {
        Tensor x = Tensor.RandomNormal([2, 3], seed: 1, dtype: DType.Float64);
        Tensor a = Tensor.RandomNormal([2, 3], seed: 2, dtype: DType.Float64);
        Autodiff.GradCheck((Tensor v) => new Cube().Apply(v), x).Passed.Should().BeTrue();
        Autodiff.GradCheck(v => new ScaledSine().Apply(v[0], v[1]), [a, x]).Passed.Should().BeTrue();
    }

    [Fact]
    public void AGivenJvpIsUsedInsteadOfTheTransposedVjp()
    {
        var op = new ScaledSine();
        Tensor a = Tensor.Scalar(1.5, DType.Float64), b = Tensor.Scalar(0.3, DType.Float64);
        var (_, tangent) = Autodiff.Jvp(v => op.Apply(v[0], v[1]), [a, b], [Tensor.Scalar(1, DType.Float64), Tensor.Scalar(2, DType.Float64)]);

        // sin(0.3)·1 + 1.5·cos(0.3)·2
        tangent.Item().Should().BeApproximately(Math.Sin(0.3) + (3 * Math.Cos(0.3)), 1e-15);
        op.JvpCalls.Should().Be(1);
    }

    [Fact]
    public void GradCheckCatchesADeliberatelyWrongRule()
    {
        Tensor x = Tensor.RandomUniform([4], seed: 3, low: 0.5, high: 2, dtype: DType.Float64);
        GradCheckResult result = Autodiff.GradCheck((Tensor v) => new WrongSquare().Apply(v), x);

        // The claimed VJP is half the true one (x·u against 2x·u), so the error is of order one, far above 1e-6.
        result.Passed.Should().BeFalse();
        result.MaxError.Should().BeGreaterThan(0.1);
    }

    [Fact]
    public void ACustomOpInsideANetworkTrains()
    {
        // y = W₂·cube(W₁·x) fitted to a target by gradient descent on a tape; the loss must fall by 100×.
        Tensor inputs = Tensor.RandomUniform([8, 3], seed: 4, low: -1, high: 1, dtype: DType.Float64);
        Tensor targets = (inputs.MatMul(Tensor.FromArray([0.5, -0.3, 0.8], 3, 1)) * 0.7).Pow(3.0);
        var w1 = new Parameter(Tensor.RandomNormal([3, 4], seed: 5, std: 0.5, dtype: DType.Float64));
        var w2 = new Parameter(Tensor.RandomNormal([4, 1], seed: 6, std: 0.5, dtype: DType.Float64));
        var cube = new Cube();
        double first = 0, last = 0;
        for (int step = 0; step < 2000; step++)
        {
            using var tape = Tape.Record();
            Tensor loss = (cube.Apply(inputs.MatMul(w1)).MatMul(w2) - targets).Square().Mean();
            tape.Backward(loss);
            last = loss.Item();
            if (step == 0)
            {
                first = last;
            }

            w1 = new Parameter(w1 - (0.2 * w1.Grad!));
            w2 = new Parameter(w2 - (0.2 * w2.Grad!));
        }

        last.Should().BeLessThan(first / 100);
    }

    [Fact]
    public void ACotangentOfTheWrongShapeDtypeOrArityIsRefusedInEveryMode()
    {
        Tensor x = Tensor.FromArray(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        var cases = new (Func<Tensor, Tensor?[]?> Vjp, string Message)[]
        {
            (g => [g.Unsqueeze(0).BroadcastTo([5, 2, 3])], "Returning: Vjp returned a [5,2,3] Float64 cotangent for input 0, which is [2,3] Float64*"),
            (g => [g.To(DType.Float32)], "Returning: Vjp returned a [2,3] Float32 cotangent for input 0, which is [2,3] Float64*"),
            (g => [g.Sum(axis: 0)], "Returning: Vjp returned a [3] Float64 cotangent for input 0, which is [2,3] Float64*"),
            (_ => null, "Returning: Vjp returned null*"),
            (g => [g, g], "Returning: Vjp returned 2 cotangents for 1 inputs."),
        };
        foreach (var (vjp, message) in cases)
        {
            var op = new Returning(vjp);
            var grad = () => Autodiff.Grad((Tensor v) => op.Apply(v).Sum(), x);
            grad.Should().Throw<InvalidOperationException>().WithMessage(message);

            var p = new Parameter(x, "p");
            var backward = () =>
            {
                using var tape = Tape.Record();
                tape.Backward(op.Apply(p).Sum());
            };
            backward.Should().Throw<InvalidOperationException>().WithMessage(message);
            p.Grad.Should().BeNull();

            // Forward mode without a Jvp transposes the Vjp, so it is checked there too.
            var jvp = () => Autodiff.Jvp((Tensor v) => op.Apply(v), x, Tensor.OnesLike(x));
            jvp.Should().Throw<InvalidOperationException>().WithMessage(message);
        }
    }

    [Fact]
    public void ANullCotangentMeansZero()
    {
        var p = new Parameter(Tensor.FromArray([1.0, 2.0]), "p");
        using var tape = Tape.Record();
        tape.Backward((new Returning(_ => [null]).Apply(p) + p).Sum());
        p.Grad!.ToArray<double>().Should().Equal(1, 1);
    }

    [Fact]
    public void ATangentOfTheWrongShapeOrDtypeIsRefused()
    {
        Tensor x = Tensor.FromArray([1.0, 2.0, 3.0]);
        var wrongShape = new Returning(g => [g], t => t.Unsqueeze(0));
        var shape = () => Autodiff.Jvp((Tensor v) => wrongShape.Apply(v), x, Tensor.OnesLike(x));
        shape.Should().Throw<InvalidOperationException>()
            .WithMessage("Returning: Jvp returned a [1,3] Float64 tangent for an output that is [3] Float64*");

        var wrongDType = new Returning(g => [g], t => t.To(DType.Float32));
        var dtype = () => Autodiff.Jvp((Tensor v) => wrongDType.Apply(v), x, Tensor.OnesLike(x));
        dtype.Should().Throw<InvalidOperationException>()
            .WithMessage("Returning: Jvp returned a [3] Float32 tangent for an output that is [3] Float64*");
    }

    [Fact]
    public void BadRulesAndInputsGiveClearErrors()
    {
        var act = () => new Cube().Apply();
        act.Should().Throw<ArgumentException>().WithMessage("Cube: a custom op needs at least one input*");

        var mixed = () => new ScaledSine().Apply(Tensor.Ones([2]), Tensor.Ones([2], DType.Float64));
        mixed.Should().Throw<ArgumentException>().WithMessage("ScaledSine: dtypes Float32 and Float64 differ*");

        var missing = () => Autodiff.Grad((a, b) => new MissingCotangent().Apply(a, b), Tensor.Scalar(1.0), Tensor.Scalar(2.0));
        missing.Should().Throw<InvalidOperationException>().WithMessage("MissingCotangent: Vjp returned 1 cotangents for 2 inputs.");
    }
}
