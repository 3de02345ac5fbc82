namespace NeuralNet.Tests.Autodiff;

using NeuralNet;

/// <summary>
/// What a training step's tape gives back (see <c>Tape.Pooling.cs</c>), from the autodiff side: every result a caller
/// receives stays the caller's, at every level, when the computation ran inside a <see cref="Tape.Record"/> scope.
/// </summary>
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
}
