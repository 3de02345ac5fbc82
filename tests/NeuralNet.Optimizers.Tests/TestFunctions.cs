namespace NeuralNet.Optimizers.Tests;

using NeuralNet;
using NeuralNet.Optimizers;

/// <summary>Objectives with hand-known minima, a training loop, and helpers shared by the optimizer tests.</summary>
internal static class TestFunctions
{
    /// <summary>The tolerance of every Float64 step-by-step comparison.</summary>
    public const double Tolerance = 1e-12;

    /// <summary>Rosenbrock's function (1 − x)² + 100(y − x²)² of a 2-element vector; minimum 0 at (1, 1).</summary>
    public static Tensor Rosenbrock(Tensor p)
    {
        Tensor x = p.Slice(0, 0, 1), y = p.Slice(0, 1, 1);
        return ((1.0 - x).Square() + 100.0 * (y - x.Square()).Square()).Sum();
    }

    /// <summary>The ill-conditioned convex quadratic ½Σ aᵢ(θᵢ − cᵢ)² with a = (1, 10, 0.1), c = (3, −2, 0.5).</summary>
    public static Tensor Quadratic(Tensor p) =>
        (0.5 * Tensor.FromArray(QuadraticCurvature, 3) * (p - Tensor.FromArray(QuadraticMinimum, 3)).Square()).Sum();

    public static readonly double[] QuadraticCurvature = [1.0, 10.0, 0.1];

    public static readonly double[] QuadraticMinimum = [3.0, -2.0, 0.5];

    /// <summary>Runs <paramref name="steps"/> steps of the usual loop: record, backward, step, zero the gradients.</summary>
    public static void Minimise(Optimizer optimizer, Func<Tensor, Tensor> loss, int steps)
    {
        Parameter p = optimizer.Parameters[0];
        for (int i = 0; i < steps; i++)
        {
            using var tape = Tape.Record();
            tape.Backward(loss(p));
            optimizer.Step();
            optimizer.ZeroGrad();
        }
    }

    public static Parameter Float64(params double[] values) => new(Tensor.FromArray(values, values.Length));

    public static Parameter Float32(params float[] values) => new(Tensor.FromArray(values, values.Length));

    public static void SetGrad(Parameter p, double[] g) =>
        p.Grad = p.DType == DType.Float64
            ? Tensor.FromArray(g, g.Length)
            : Tensor.FromArray(g.Select(x => (float)x).ToArray(), g.Length);

    /// <summary>Hand-written gradients for three (or four) steps of a 3-element parameter.</summary>
    public static readonly double[] Start = [1.5, -2.0, 0.25];

    public static readonly double[][] Gradients =
    [
        [0.3, -1.2, 2.0],
        [-0.7, 0.4, 1.1],
        [0.05, -0.9, -2.5],
        [1.3, 0.2, -0.6],
    ];

    /// <summary>Steps <paramref name="optimizer"/> (over the single parameter <paramref name="p"/>) through
    /// <see cref="Gradients"/> and checks θ after every step against <paramref name="expected"/>.</summary>
    public static void CheckTrajectory(Optimizer optimizer, Parameter p, double[][] expected, double tolerance = Tolerance)
    {
        for (int step = 0; step < Gradients.Length; step++)
        {
            SetGrad(p, Gradients[step]);
            optimizer.Step();
            double[] actual = p.ToArray<double>();
            for (int i = 0; i < actual.Length; i++)
            {
                actual[i].Should().BeApproximately(expected[step][i], tolerance, $"element {i} after step {step + 1}");
            }
        }
    }
}

public class TestFunctionTests
{
    [Fact]
    public void RosenbrockGradientOnTheTapeIsTheHandDerivedOne()
    {
        // ∂f/∂x = −2(1 − x) − 400x(y − x²), ∂f/∂y = 200(y − x²)
        const double x = -1.2, y = 1.0;
        Parameter p = TestFunctions.Float64(x, y);
        using var tape = Tape.Record();
        Tensor f = TestFunctions.Rosenbrock(p);
        f.Item().Should().BeApproximately(Math.Pow(1 - x, 2) + 100 * Math.Pow(y - x * x, 2), 1e-12);
        tape.Backward(f);
        double[] g = p.Grad!.ToArray<double>();
        g[0].Should().BeApproximately(-2 * (1 - x) - 400 * x * (y - x * x), 1e-10);
        g[1].Should().BeApproximately(200 * (y - x * x), 1e-12);
    }
}
