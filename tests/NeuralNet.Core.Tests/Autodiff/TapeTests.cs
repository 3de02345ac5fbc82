namespace NeuralNet.Tests.Autodiff;

using NeuralNet;

/// <summary>Reverse mode through <see cref="Tape"/>: gradients against hand-derived values, and the tape's contract.</summary>
public class TapeTests
{
    private static Tensor Vector(params double[] values) => Tensor.FromArray(values, values.Length);

    private static Tensor S(double value) => Tensor.Scalar(value, DType.Float64);

    [Fact]
    public void BackwardFillsParameterGradsForALinearLoss()
    {
        // L = w·x + b = 4 + 10 + 18 + 0.5: ∂L/∂w = x, ∂L/∂b = 1.
        var w = new Parameter(Vector(1, 2, 3), "w");
        var b = new Parameter(S(0.5), "b");
        Tensor x = Vector(4, 5, 6);

        using var tape = Tape.Record();
        Tensor loss = (w * x).Sum() + b;
        loss.Item().Should().Be(32.5);
        tape.Backward(loss);

        w.Grad!.ToArray<double>().Should().Equal(4, 5, 6);
        b.Grad!.Item().Should().Be(1);
        b.Grad.Shape.Should().Be(Shape.ScalarShape);
        w.Grad.IsTracked.Should().BeFalse();
    }

    [Fact]
    public void BackwardFillsParameterGradsForASquaredError()
    {
        // r = w·x + b − t = 32.5 − 30 = 2.5, L = r²: ∂L/∂w = 2r·x = 5·[4, 5, 6], ∂L/∂b = 2r = 5.
        var w = new Parameter(Vector(1, 2, 3));
        var b = new Parameter(S(0.5));
        Tensor x = Vector(4, 5, 6);

        using var tape = Tape.Record();
        Tensor loss = ((w * x).Sum() + b - 30.0).Square();
        tape.Backward(loss);

        w.Grad!.ToArray<double>().Should().Equal(20, 25, 30);
        b.Grad!.Item().Should().Be(5);
    }

    [Fact]
    public void BackwardThroughMatMulAndABroadcastBias()
    {
        // y = W·x + b with W [2,3], x [3,1], b [2,1]; L = Σ y.
        // ∂L/∂W[i,j] = x[j] for every row i; ∂L/∂b = [1, 1]; ∂L/∂x[j] = Σᵢ W[i,j] = [1+4, 2+5, 3+6].
        var weight = new Parameter(Tensor.FromArray(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } }));
        var bias = new Parameter(Tensor.FromArray(new double[] { 0.1, 0.2 }, 2, 1));
        var input = new Parameter(Tensor.FromArray(new double[] { 7, 8, 9 }, 3, 1));

        using var tape = Tape.Record();
        tape.Backward((weight.MatMul(input) + bias).Sum());

        weight.Grad!.Shape.Should().Be(new Shape(2, 3));
        weight.Grad.ToArray<double>().Should().Equal(7, 8, 9, 7, 8, 9);
        bias.Grad!.ToArray<double>().Should().Equal(1, 1);
        input.Grad!.ToArray<double>().Should().Equal(5, 7, 9);
    }

    [Fact]
    public void BroadcastOperandsGetCotangentsSummedBackToTheirShape()
    {
        // L = Σᵢⱼ (a[j] · c[i]) with a [3], c [2,1]: ∂L/∂a[j] = Σᵢ c[i] = 5, ∂L/∂c[i] = Σⱼ a[j] = 6.
        var a = new Parameter(Vector(1, 2, 3));
        var c = new Parameter(Tensor.FromArray(new double[] { 2, 3 }, 2, 1));

        using var tape = Tape.Record();
        tape.Backward((a * c).Sum());

        a.Grad!.Shape.Should().Be(new Shape(3));
        a.Grad.ToArray<double>().Should().Equal(5, 5, 5);
        c.Grad!.Shape.Should().Be(new Shape(2, 1));
        c.Grad.ToArray<double>().Should().Equal(6, 6);
    }

    [Fact]
    public void ASecondBackwardThroughTheSameOpsIsRefusedUnlessTheFirstRetainedThem()
    {
        // PyTorch: "Trying to backward through the graph a second time"; the gradients are not silently doubled.
        var w = new Parameter(Vector(1, -2));
        using var tape = Tape.Record();
        Tensor loss = w.Square().Sum();
        tape.Backward(loss);
        var again = () => tape.Backward(loss);
        again.Should().Throw<InvalidOperationException>().WithMessage("Backward: Sum was already backpropagated through*retainGraph: true*");
        w.Grad!.ToArray<double>().Should().Equal(2, -4);

        // A new loss recorded on the same tape is a new graph: its pass runs, and adds to Grad.
        tape.Backward((3.0 * w).Sum());
        w.Grad!.ToArray<double>().Should().Equal(5, -1);

        // Gradient reads through what a Backward consumed are refused too.
        var gradient = () => tape.Gradient(loss, w);
        gradient.Should().Throw<InvalidOperationException>().WithMessage("Gradient: Sum was already backpropagated through*");
    }

    [Fact]
    public void GradientsAccumulateAcrossBackwardCallsUntilZeroGrad()
    {
        // L = Σ w², ∂L/∂w = 2w = [2, −4].
        var w = new Parameter(Vector(1, -2));
        using (var tape = Tape.Record())
        {
            Tensor loss = w.Square().Sum();
            tape.Backward(loss, retainGraph: true);
            w.Grad!.ToArray<double>().Should().Equal(2, -4);
            tape.Backward(loss);
            w.Grad!.ToArray<double>().Should().Equal(4, -8);
        }

        using (var tape = Tape.Record())
        {
            tape.Backward(w.Square().Sum());
            w.Grad!.ToArray<double>().Should().Equal(6, -12);
        }

        w.ZeroGrad();
        w.Grad.Should().BeNull();
        using (var tape = Tape.Record())
        {
            tape.Backward(w.Square().Sum());
            w.Grad!.ToArray<double>().Should().Equal(2, -4);
        }
    }

    [Theory]
    [InlineData(2.0)]
    [InlineData(-0.5)]
    public void AValueUsedOnTwoPathsGetsTheSumOfBoth(double at)
    {
        // The notes' chain x¹ → x² = x·x → x³ = x²·x: x feeds x² twice and x³ once, so
        // dx³/dx = x²·1 + x·(dx²/dx) = x² + x·2x = 3x².
        using var tape = Tape.Record();
        Tensor x = tape.Watch(S(at));
        Tensor x2 = x * x;
        Tensor x3 = x2 * x;
        tape.Gradient(x3, x).Item().Should().Be(3 * at * at);
        tape.Gradient(x2, x).Item().Should().Be(2 * at);

        // y = x·x + x: dy/dx = 2x + 1.
        tape.Gradient((x * x) + x, x).Item().Should().Be((2 * at) + 1);
    }

    [Fact]
    public void AParameterUsedTwiceAccumulatesBothPathsInBackward()
    {
        // y = w·w + w at w = 3: dy/dw = 2w + 1 = 7.
        var w = new Parameter(S(3));
        using var tape = Tape.Record();
        tape.Backward((w * w) + w);
        w.Grad!.Item().Should().Be(7);
    }

    [Fact]
    public void GradientWithSeveralInputsAndAnUnusedOne()
    {
        // f = a·b + sin a: ∂f/∂a = b + cos a, ∂f/∂b = a; f does not depend on c, whose gradient is zeros of c's shape.
        using var tape = Tape.Record();
        Tensor a = tape.Watch(S(0.5));
        Tensor b = tape.Watch(S(2));
        Tensor c = tape.Watch(Tensor.FromArray(new double[] { 1, 2, 3, 4 }, 2, 2));
        Tensor f = (a * b) + a.Sin();

        Tensor[] g = tape.Gradient(f, [a, b, c]);
        g.Should().HaveCount(3);
        g[0].Item().Should().Be(2 + Math.Cos(0.5));
        g[1].Item().Should().Be(0.5);
        g[2].Shape.Should().Be(new Shape(2, 2));
        g[2].DType.Should().Be(DType.Float64);
        g[2].ToArray<double>().Should().Equal(0, 0, 0, 0);

        // An output that depends on no input at all: zeros too.
        tape.Gradient(S(7), a).Item().Should().Be(0);
    }

    [Fact]
    public void ACotangentForANonScalarOutputGivesJTransposeU()
    {
        // y = A·x with A [2,3], x [3,1]: J = A, so Jᵀu = Aᵀu. For u = [1, −2]: [1−8, 2−10, 3−12] = [−7, −8, −9].
        var matrix = Tensor.FromArray(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        var u = Tensor.FromArray(new double[] { 1, -2 }, 2, 1);
        using var tape = Tape.Record();
        Tensor x = tape.Watch(Tensor.FromArray(new double[] { 0.3, -1, 2 }, 3, 1));
        Tensor g = tape.Gradient(matrix.MatMul(x), x, u);
        g.Shape.Should().Be(new Shape(3, 1));
        g.ToArray<double>().Should().Equal(-7, -8, -9);

        // y = x² element-wise: J = diag(2x), Jᵀu = 2x·u. x = [1, 2, 3], u = [0.5, −1, 2] → [1, −4, 12].
        Tensor v = tape.Watch(Vector(1, 2, 3));
        tape.Gradient(v.Square(), v, Vector(0.5, -1, 2)).ToArray<double>().Should().Equal(1, -4, 12);
    }

    [Fact]
    public void BackwardWithACotangentWeightsEachOutput()
    {
        // y = w · [1, 2, 3] (element-wise), u = [1, 10, 100]: Jᵀu = diag([1, 2, 3])·u = [1, 20, 300].
        var w = new Parameter(Vector(5, 5, 5));
        using var tape = Tape.Record();
        tape.Backward(w * Vector(1, 2, 3), Vector(1, 10, 100));
        w.Grad!.ToArray<double>().Should().Equal(1, 20, 300);
    }

    [Fact]
    public void ANonScalarOutputWithoutACotangentIsRefusedNamingTheShape()
    {
        var w = new Parameter(Vector(1, 2, 3));
        using var tape = Tape.Record();
        Tensor y = w * 2.0;
        var backward = () => tape.Backward(y);
        backward.Should().Throw<ArgumentException>().WithMessage("Backward: the output has shape [3]*");
        var gradient = () => tape.Gradient(y, w);
        gradient.Should().Throw<ArgumentException>().WithMessage("Gradient: the output has shape [3]*");
    }

    [Fact]
    public void ACotangentOfTheWrongShapeOrDTypeIsRefused()
    {
        var w = new Parameter(Vector(1, 2, 3));
        using var tape = Tape.Record();
        Tensor y = w * 2.0;
        var shape = () => tape.Backward(y, Vector(1, 1));
        shape.Should().Throw<ArgumentException>().WithMessage("Backward: cotangent [2] Float64 does not match output [3] Float64*");
        var dtype = () => tape.Backward(y, Tensor.Ones([3], DType.Float32));
        dtype.Should().Throw<ArgumentException>().WithMessage("Backward: cotangent [3] Float32 does not match output [3] Float64*");
        var scalar = () => tape.Gradient(y.Sum(), w, Vector(1));
        scalar.Should().Throw<ArgumentException>().WithMessage("Gradient: cotangent [1]*does not match output []*");
        w.Grad.Should().BeNull();
    }

    [Fact]
    public void BackwardOnATensorNotRecordedOnTheTapeIsRefused()
    {
        using var tape = Tape.Record();
        var constant = () => tape.Backward(S(1) * 2.0);
        constant.Should().Throw<InvalidOperationException>().WithMessage("Backward: the output was not recorded on this tape*");

        // Recorded on another tape that is still open but is not this one's outer tape.
        Tensor y;
        using (var other = Tape.Record())
        {
            Tensor x = other.Watch(S(2));
            y = x * x;
            var wrongTape = () => tape.Backward(y);
            wrongTape.Should().Throw<InvalidOperationException>();
        }
    }

    [Fact]
    public void ADisposedTapeRefusesBackwardGradientAndWatch()
    {
        var w = new Parameter(S(2));
        var tape = Tape.Record();
        Tensor y = w * w;
        tape.Dispose();
        tape.Dispose(); // idempotent

        var backward = () => tape.Backward(y);
        backward.Should().Throw<ObjectDisposedException>().WithMessage("Backward: the tape was disposed*");
        var gradient = () => tape.Gradient(y, w);
        gradient.Should().Throw<ObjectDisposedException>().WithMessage("Gradient: the tape was disposed*");
        var watch = () => tape.Watch(S(1));
        watch.Should().Throw<ObjectDisposedException>().WithMessage("Watch: the tape was disposed*");
    }

    [Fact]
    public void GradientForAnUnwatchedInputIsRefused()
    {
        using var tape = Tape.Record();
        Tensor x = tape.Watch(S(1));
        Tensor unwatched = Vector(1, 2);
        var act = () => tape.Gradient((x * x), [x, unwatched]);
        act.Should().Throw<ArgumentException>().WithMessage("Gradient: input 1 (shape [2]) is not watched by this tape*");
    }

    [Fact]
    public void WatchingTwiceReturnsTheSameTrackedTensor()
    {
        using var tape = Tape.Record();
        Tensor raw = S(3);
        Tensor first = tape.Watch(raw);
        tape.Watch(raw).Should().BeSameAs(first);
        first.IsTracked.Should().BeTrue();

        // Ops on the raw tensor are recorded too, and the gradient may be asked for either handle: d(x²)/dx = 6.
        tape.Gradient(raw * raw, raw).Item().Should().Be(6);
        tape.Gradient(first * first, raw).Item().Should().Be(6);
    }

    [Fact]
    public void NoGradRecordsNothingAndRestoresOnDispose()
    {
        var w = new Parameter(Vector(1, 2));
        using var tape = Tape.Record();
        Tensor before = w * w;
        before.IsTracked.Should().BeTrue();
        int count = tape.Count;
        count.Should().Be(2); // the leaf for w and the multiply

        using (Autodiff.NoGrad())
        {
            Autodiff.IsGradEnabled.Should().BeFalse();
            Tensor inside = (w * w) + before;
            inside.IsTracked.Should().BeFalse();
            inside.ToArray<double>().Should().Equal(2, 8);
            using (Autodiff.NoGrad())
            {
                (w * 3.0).IsTracked.Should().BeFalse();
            }

            Autodiff.IsGradEnabled.Should().BeFalse("the outer no-grad scope is still open");
            tape.Count.Should().Be(count);
        }

        Autodiff.IsGradEnabled.Should().BeTrue();
        Tensor after = w * 3.0;
        after.IsTracked.Should().BeTrue();
        tape.Count.Should().Be(count + 1);
    }

    [Fact]
    public void DetachStopsGradientFlow()
    {
        // d/dx [stop(x) · x] = stop(x) = x, where d/dx [x · x] would be 2x.
        using var tape = Tape.Record();
        Tensor raw = S(3);
        Tensor x = tape.Watch(raw);
        Tensor detached = x.Detach();
        detached.IsTracked.Should().BeFalse();
        tape.Gradient(detached * x, x).Item().Should().Be(3);

        // The same through the raw tensor, which the tape also watches.
        tape.Gradient(raw.Detach() * raw, raw).Item().Should().Be(3);

        // And for a parameter in Backward.
        var w = new Parameter(S(4));
        tape.Backward(w.Detach() * w);
        w.Grad!.Item().Should().Be(4);
    }

    [Fact]
    public void OutputsOfADisposedTapeArePlainValues()
    {
        var w = new Parameter(Vector(1, 2));
        Tensor y;
        using (var tape = Tape.Record())
        {
            y = w * w;
            y.IsTracked.Should().BeTrue();
        }

        y.IsTracked.Should().BeFalse();
        y.ToString().Should().Be("Tensor([1, 4], Float64)");
        Tensor z = (y + 1.0).Exp().Log();
        z.IsTracked.Should().BeFalse();
        z.ToArray<double>().Should().Equal(new[] { 2.0, 5.0 }, (a, e) => Math.Abs(a - e) < 1e-15);

        // Used on a new tape, y is a constant: d(Σ y·w)/dw = y = [1, 4].
        using (var tape = Tape.Record())
        {
            tape.Backward((y * w).Sum());
        }

        w.Grad!.ToArray<double>().Should().Equal(1, 4);
    }

    [Fact]
    public void AParameterThatDoesNotRequireGradGetsNoGrad()
    {
        // L = Σ w·x + b with b frozen: ∂L/∂w = x; b gets nothing.
        var w = new Parameter(Vector(1, 2));
        var b = new Parameter(S(1)) { RequiresGrad = false };
        using var tape = Tape.Record();
        Tensor loss = (w * Vector(3, 4)).Sum() + b;
        tape.Backward(loss);
        w.Grad!.ToArray<double>().Should().Equal(3, 4);
        b.Grad.Should().BeNull();

        var frozenOnly = () => tape.Backward(b * 2.0);
        frozenOnly.Should().Throw<InvalidOperationException>("nothing recorded depends on a frozen parameter");
    }

    [Theory]
    [InlineData(1.5)]
    [InlineData(-2.0)]
    public void NestedTapesBothSeeAParameter(double at)
    {
        // Inner: g = d(w³)/dw = 3w². The inner backward pass runs on the outer tape, so outer: dg/dw = 6w.
        var w = new Parameter(S(at));
        using var outer = Tape.Record();
        Tensor g;
        using (var inner = Tape.Record())
        {
            Tensor y = w * w * w;
            g = inner.Gradient(y, w);
        }

        g.Item().Should().Be(3 * at * at);
        g.IsTracked.Should().BeTrue("the outer tape recorded the inner gradient computation");
        outer.Gradient(g, w).Item().Should().Be(6 * at);

        outer.Backward(g);
        w.Grad!.Item().Should().Be(6 * at);
    }

    [Fact]
    public void AnOuterTapeDifferentiatesAnOutputRecordedWhileAnInnerTapeIsOpen()
    {
        // y = w³ is recorded on both tapes: each gives dy/dw = 3w² = 12 at w = 2.
        var w = new Parameter(S(2));
        using var outer = Tape.Record();
        using var inner = Tape.Record();
        Tensor y = w * w * w;
        inner.Gradient(y, w).Item().Should().Be(12);
        outer.Gradient(y, w).Item().Should().Be(12);
        outer.Backward(y);
        w.Grad!.Item().Should().Be(12);
    }

    [Fact]
    public void InnerBackwardFillsGradOnceFromTheInnermostTape()
    {
        // Backward on the inner tape adds d(w²)/dw = 2w = 6 once, however many tapes are open.
        var w = new Parameter(S(3));
        using var outer = Tape.Record();
        using var inner = Tape.Record();
        inner.Backward(w * w);
        w.Grad!.Item().Should().Be(6);
        w.Grad.IsTracked.Should().BeFalse();
    }
}
