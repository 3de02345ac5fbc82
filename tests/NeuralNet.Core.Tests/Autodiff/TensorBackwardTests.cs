namespace NeuralNet.Tests.Autodiff;

using NeuralNet;

/// <summary><c>loss.Backward()</c>: PyTorch's spelling of <see cref="Tape.Backward"/> on the tape that recorded the loss.</summary>
public class TensorBackwardTests
{
    private static Tensor Vector(params double[] values) => Tensor.FromArray(values, values.Length);

    [Fact]
    public void FillsTheGradientsAsTheTapesBackwardDoes()
    {
        // L = Σ w² x: ∂L/∂w = 2 w x.
        var w = new Parameter(Vector(1, -2, 3), "w");
        Tensor x = Vector(4, 5, 6);
        using (Tape.Record())
        {
            ((w * w) * x).Sum().Backward();
        }

        w.Grad!.ToArray<double>().Should().Equal(8, -20, 36);
    }

    [Fact]
    public void TakesACotangentAndRetainsTheGraphOnRequest()
    {
        var w = new Parameter(Vector(1, 2), "w");
        using (Tape.Record())
        {
            Tensor y = w * 3.0;
            y.Backward(Vector(1, 10), retainGraph: true);
            y.Backward(Vector(1, 10));
            var third = () => y.Backward(Vector(1, 10));
            third.Should().Throw<InvalidOperationException>().WithMessage("*retainGraph*");
        }

        w.Grad!.ToArray<double>().Should().Equal(6, 60);
    }

    [Fact]
    public void UsesTheInnermostOpenTapeThatRecordedTheTensor()
    {
        // The inner tape's backward pass is recorded by the outer one, so the outer can differentiate the gradient:
        // d/dw of (∂(w³)/∂w) = d/dw 3w² = 6w.
        var w = new Parameter(Tensor.Scalar(2.0, DType.Float64), "w");
        using var outer = Tape.Record();
        Tensor inner;
        using (var tape = Tape.Record())
        {
            inner = tape.Gradient(w * w * w, w, createGraph: true);
        }

        inner.Backward();
        w.Grad!.Item().Should().Be(12);
    }

    [Fact]
    public void RefusesATensorNoOpenTapeRecorded()
    {
        Tensor loss = Vector(1, 2).Sum();
        var act = () => loss.Backward();
        act.Should().Throw<InvalidOperationException>().WithMessage("Backward: this [] Float64 tensor was not recorded on an open tape*");

        var w = new Parameter(Vector(1, 2), "w");
        Tensor stale;
        using (Tape.Record())
        {
            stale = (w * w).Sum();
        }

        var afterDispose = () => stale.Backward();
        afterDispose.Should().Throw<InvalidOperationException>().WithMessage("*not recorded on an open tape*");
    }
}
