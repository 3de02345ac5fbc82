namespace NeuralNet.Tests.Autodiff;

using System.Runtime.CompilerServices;
using NeuralNet;

/// <summary>
/// Every value a derivative rule reads is checked against the version of its storage when it was recorded
/// (PyTorch: "one of the variables needed for gradient computation has been modified by an inplace operation"),
/// through any view of that storage; values no rule reads are neither checked nor kept alive.
/// </summary>
public class SavedValueTests
{
    [Fact]
    public void AFrozenParameterChangedBeforeBackwardIsRefused()
    {
        // Today's wrong answer would be w.Grad = 100: the rule of w · frozen reads frozen's new value.
        var w = new Parameter(Tensor.Scalar(3.0, DType.Float64), "w");
        var frozen = new Parameter(Tensor.Scalar(2.0, DType.Float64), "frozen") { RequiresGrad = false };
        using var tape = Tape.Record();
        Tensor loss = w * frozen;
        frozen.Assign(Tensor.Scalar(100.0, DType.Float64));

        var act = () => tape.Backward(loss);
        act.Should().Throw<InvalidOperationException>()
            .WithMessage("Backward: Parameter(frozen, [], Float64), input 1 of Multiply, was modified in place*(version 0 then, 1 now)*");
        w.Grad.Should().BeNull("nothing is accumulated from a refused pass");
    }

    [Fact]
    public void AParameterChangedThroughAnyOfItsViewsIsRefused()
    {
        foreach (Func<Parameter, Tensor> view in new Func<Parameter, Tensor>[]
        {
            p => p.Detach(),
            p => p.To(DType.Float64),
            p => p.Detach().Reshape([2, 1]).Reshape([2]),
        })
        {
            var q = new Parameter(Tensor.FromArray([1.0, 2.0]), "q");
            var p = new Parameter(Tensor.FromArray([3.0, 4.0]), "p");
            using var tape = Tape.Record();
            Tensor loss = (q * view(p)).Sum();
            p.AsSpan<double>()[0] = 30;

            var act = () => tape.Backward(loss);
            act.Should().Throw<InvalidOperationException>()
                .WithMessage("Backward: *Parameter(p, [2], Float64), input 1 of Multiply, was modified in place*(version 0 then, 1 now)*");
        }
    }

    [Fact]
    public void AReshapedParameterReadByALaterRuleIsChecked()
    {
        // The reshape saves nothing, but the product reads the reshaped value, which shares p's storage.
        var p = new Parameter(Tensor.FromArray([1.0, 2.0]), "p");
        using var tape = Tape.Record();
        Tensor r = p.Reshape([2, 1]);
        Tensor loss = (r * r).Sum();
        p.Assign(Tensor.FromArray([5.0, 6.0]));

        var act = () => tape.Backward(loss);
        act.Should().Throw<InvalidOperationException>().WithMessage("*view of Parameter(p, [2], Float64), input ? of Multiply*");
    }

    [Fact]
    public void EveryKindOfBackwardPassRefusesAStaleValue()
    {
        var w = new Parameter(Tensor.FromArray([1.0, 2.0]), "w");
        var frozen = new Parameter(Tensor.FromArray([3.0, 4.0]), "frozen") { RequiresGrad = false };
        using (var tape = Tape.Record())
        {
            Tensor loss = (w * frozen).Sum();
            frozen.Assign(Tensor.FromArray([0.0, 0.0]));
            var gradient = () => tape.Gradient(loss, w);
            gradient.Should().Throw<InvalidOperationException>().WithMessage("Gradient: Parameter(frozen*input 1 of Multiply*");
            var createGraph = () => tape.Gradient(loss, w, createGraph: true);
            createGraph.Should().Throw<InvalidOperationException>().WithMessage("Gradient: Parameter(frozen*input 1 of Multiply*");
        }

        frozen.Assign(Tensor.FromArray([3.0, 4.0]));
        var (_, pullback) = Autodiff.Vjp(v => (v * frozen).Sum(), w);
        frozen.Assign(Tensor.FromArray([1.0, 1.0]));
        var pull = () => pullback(Tensor.Scalar(1.0, DType.Float64));
        pull.Should().Throw<InvalidOperationException>().WithMessage("Vjp pullback: Parameter(frozen*input 1 of Multiply*");
    }

    [Fact]
    public void AStaleValueInARecordedBackwardPassIsRefusedByTheSecondPass()
    {
        // g = ∂/∂w Σw³ = 3w² is recorded (create_graph) as products of w with terms in w; differentiating g again
        // runs those products' rules, which read w, by then changed.
        var w = new Parameter(Tensor.FromArray([1.0, 2.0]), "w");
        using var tape = Tape.Record();
        Tensor g = tape.Gradient((w * w * w).Sum(), w, createGraph: true);
        g.ToArray<double>().Should().Equal(3, 12);
        w.Assign(Tensor.FromArray([0.0, 0.0]));

        var act = () => tape.Backward(g.Sum());
        act.Should().Throw<InvalidOperationException>().WithMessage("Backward: Parameter(w, [2], Float64), input ? of Multiply*");
    }

    [Fact]
    public void AChangedValueThatNoRuleReadsIsNotAnError()
    {
        // ∂(w + b)/∂w = 1 and ∂(w·k)/∂w = k do not read w; ∂Σw/∂w does not read w either.
        var w = new Parameter(Tensor.FromArray([1.0, 2.0]), "w");
        var b = new Parameter(Tensor.FromArray([3.0, 4.0]), "b") { RequiresGrad = false };
        var k = new Parameter(Tensor.FromArray([5.0, 7.0]), "k") { RequiresGrad = false };
        using var tape = Tape.Record();
        Tensor loss = (w + b).Sum() + (w * k).Sum();
        b.Assign(Tensor.FromArray([0.0, 0.0]));
        w.Assign(Tensor.FromArray([9.0, 9.0]));

        tape.Backward(loss);
        w.Grad!.ToArray<double>().Should().Equal(1 + 5, 1 + 7);
    }

    [Fact]
    public void ACustomOpsSavedValuesAreChecked()
    {
        // PassThrough returns its input's storage as its output; custom ops save their inputs and output.
        var p = new Parameter(Tensor.FromArray([1.0, 2.0]), "p");
        using var tape = Tape.Record();
        Tensor loss = new PassThrough().Apply(p).Sum();
        p.Assign(Tensor.FromArray([3.0, 3.0]));

        var act = () => tape.Backward(loss);
        act.Should().Throw<InvalidOperationException>().WithMessage("Backward: Parameter(p, [2], Float64), input 0 of PassThrough*");
    }

    [Fact]
    public void OpsThatSaveNothingKeepNoIntermediateAlive()
    {
        // Multiply saves its inputs, not its output, and Add and Sum save nothing: the product is garbage once the
        // caller drops it, while the tape still lives and its backward pass still works.
        var w = new Parameter(Tensor.FromArray([1.0, 2.0, 3.0]), "w");
        using var tape = Tape.Record();
        var (loss, product) = ProductPlusOne(w);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        product.IsAlive.Should().BeFalse("no rule of Multiply, Add or Sum reads the product");
        tape.Backward(loss);
        w.Grad!.ToArray<double>().Should().Equal(3, 3, 3);
    }

    [Fact]
    public void AnOpThatSavesItsOutputKeepsItAlive()
    {
        var w = new Parameter(Tensor.FromArray([0.0, 1.0]), "w");
        using var tape = Tape.Record();
        var (loss, exp) = ExpSum(w);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        exp.IsAlive.Should().BeTrue("Exp's derivative is its output");
        tape.Backward(loss);
        w.Grad!.ToArray<double>().Should().Equal(1, Math.E);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (Tensor Loss, WeakReference Product) ProductPlusOne(Parameter w)
    {
        Tensor product = w * 3.0;
        return ((product + 1.0).Sum(), new WeakReference(product.Data));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (Tensor Loss, WeakReference Exp) ExpSum(Parameter w)
    {
        Tensor exp = w.Exp();
        return (exp.Sum(), new WeakReference(exp.Data));
    }

    /// <summary>The identity, returning its input's values as they are; its VJP reads the output.</summary>
    private sealed class PassThrough : CustomOp
    {
        public override string Name => "PassThrough";

        public override Tensor Forward(IReadOnlyList<Tensor> inputs) => inputs[0];

        public override Tensor?[] Vjp(Tensor cotangent, IReadOnlyList<Tensor> inputs, Tensor output) =>
            [cotangent * (output / output)];
    }
}
