namespace NeuralNet.Tests.Autodiff;

using System.Runtime.CompilerServices;
using NeuralNet;

/// <summary>What a tape keeps, frees and refuses: intermediate gradients, disposal, in-place parameter updates.</summary>
public class TapeLifetimeTests
{
    [Fact]
    public void GradientWithRespectToARecordedIntermediateTensor()
    {
        // y = p², loss = Σ 3y: ∂loss/∂y = 3 everywhere, ∂loss/∂p = 6p.
        var p = new Parameter(Tensor.FromArray([1.0, 2.0]), "p");
        using var tape = Tape.Record();
        Tensor y = p * p;
        Tensor loss = (3.0 * y).Sum();
        Tensor[] grads = tape.Gradient(loss, [y, p]);
        grads[0].ToArray<double>().Should().Equal(3, 3);
        grads[1].ToArray<double>().Should().Equal(6, 12);
    }

    [Fact]
    public void AParameterTheOutputNeverUsedHasAZeroGradient()
    {
        var used = new Parameter(Tensor.FromArray([2.0]), "used");
        var unused = new Parameter(Tensor.FromArray([1.0, 1.0]), "unused");
        using var tape = Tape.Record();
        Tensor[] grads = tape.Gradient((used * used).Sum(), [used, unused]);
        grads[0].ToArray<double>().Should().Equal(4);
        grads[1].ToArray<double>().Should().Equal(0, 0);
    }

    [Fact]
    public void ATapeUsedDuringAnotherTapesBackwardPassDoesNotUnhookIt()
    {
        // A custom op whose VJP runs a transform (its own tape) while the outer tape is in its backward pass: afterwards
        // the outer tape must still record parameter ops.
        var w = new Parameter(Tensor.FromArray([2.0]), "w");
        using var tape = Tape.Record();
        tape.Backward(new SquareWithNestedRule().Apply(w).Sum());
        w.Grad!.ToArray<double>().Should().Equal(4);
        (w * w).IsTracked.Should().BeTrue();
    }

    /// <summary>x² whose VJP computes 2x through Autodiff.Grad, i.e. through a tape of its own.</summary>
    private sealed class SquareWithNestedRule : CustomOp
    {
        public override string Name => "SquareWithNestedRule";

        public override Tensor Forward(IReadOnlyList<Tensor> inputs) => inputs[0].Square();

        public override Tensor?[] Vjp(Tensor cotangent, IReadOnlyList<Tensor> inputs, Tensor output) =>
            [cotangent * Autodiff.Grad((Tensor x) => x.Square().Sum(), inputs[0])];
    }

    [Fact]
    public void DisposingTheTapeFreesTheGraphWhileTheOutputLivesOn()
    {
        var p = new Parameter(Tensor.FromArray([0.5, -0.5]), "p");
        var (loss, activation) = RecordAndDispose(p);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        activation.IsAlive.Should().BeFalse("the intermediate activation is released with the tape");
        loss.Item().Should().BeApproximately(Math.Tanh(0.5) + Math.Tanh(-0.5) + 0.0, 1e-15);
    }

    [Fact]
    public void BackwardRefusesParametersUpdatedInPlaceAfterRecording()
    {
        var p = new Parameter(Tensor.FromArray([1.0, 2.0]), "w");
        using var tape = Tape.Record();
        Tensor loss = (p * p).Sum();
        p.Assign(Tensor.FromArray([10.0, 20.0]));

        var act = () => tape.Backward(loss);
        act.Should().Throw<InvalidOperationException>().WithMessage("Backward: Parameter(w, [2], Float64), input 0 of Multiply, was modified in place*(version 0 then, 1 now)*");
    }

    [Fact]
    public void APullbackRefusesAParameterUpdatedSinceTheForwardPass()
    {
        var p = new Parameter(Tensor.FromArray([1.0, 2.0]), "w");
        var (_, pullback) = Autodiff.Vjp(v => (v * v).Sum(), p);
        p.AsSpan<double>()[0] = 5;

        var act = () => pullback(Tensor.Scalar(1, DType.Float64));
        act.Should().Throw<InvalidOperationException>().WithMessage("*was modified in place*");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (Tensor Loss, WeakReference Activation) RecordAndDispose(Parameter p)
    {
        Tensor loss;
        WeakReference activation;
        using (var tape = Tape.Record())
        {
            Tensor hidden = p.Tanh();
            activation = new WeakReference(hidden);
            loss = hidden.Sum();
            tape.Backward(loss);
        }

        return (loss, activation);
    }
}
