namespace NeuralNet.Optimizers.Tests;

using NeuralNet;
using NeuralNet.Optimizers;

/// <summary>The usage example of README.optimizers.md, verbatim but for the print, so that it keeps compiling and
/// keeps printing what the README says.</summary>
public class ReadmeExampleTests
{
    [Fact]
    public void AdamOnRosenbrockPrintsOneOne()
    {
        var p = new Parameter(Tensor.FromArray([-1.2, 1.0], 2), "p");
        var optimizer = new Adam([p], learningRate: 0.02);
        for (int step = 0; step < 5000; step++)
        {
            using var tape = Tape.Record();
            Tensor x = p.Slice(0, 0, 1), y = p.Slice(0, 1, 1);
            tape.Backward(((1.0 - x).Square() + 100.0 * (y - x.Square()).Square()).Sum());   // fills p.Grad
            optimizer.Step();                                                             // p ← p − η m̂/(√v̂ + ε)
            optimizer.ZeroGrad();
        }

        FormattableString.Invariant($"x = {p[0]:F6}, y = {p[1]:F6}").Should().Be("x = 1.000000, y = 1.000000");
    }
}
