namespace NeuralNet.Optimizers.Tests;

using NeuralNet;
using NeuralNet.Optimizers;
using static NeuralNet.Optimizers.Tests.TestFunctions;

public class GradientDescentTests
{
    /// <summary>PyTorch's SGD (dampening 0), one element at a time, written from the formula.</summary>
    private static double[][] Reference(double[] start, double[][] gradients, double lr, double mu, bool nesterov, double wd)
    {
        double[] theta = (double[])start.Clone();
        double[]? b = null;
        var trajectory = new List<double[]>();
        foreach (double[] grad in gradients)
        {
            bool first = b is null;
            b ??= new double[theta.Length];
            for (int i = 0; i < theta.Length; i++)
            {
                double g = grad[i] + wd * theta[i];
                double d = g;
                if (mu != 0)
                {
                    b[i] = first ? g : mu * b[i] + g;
                    d = nesterov ? g + mu * b[i] : b[i];
                }

                theta[i] -= lr * d;
            }

            trajectory.Add((double[])theta.Clone());
        }

        return [.. trajectory];
    }

    [Theory]
    [InlineData(0.0, false, 0.0)]
    [InlineData(0.9, false, 0.0)]
    [InlineData(0.9, true, 0.0)]
    [InlineData(0.0, false, 0.1)]
    [InlineData(0.5, false, 0.01)]
    [InlineData(0.9, true, 0.1)]
    public void FollowsPyTorchSgdStepByStep(double momentum, bool nesterov, double weightDecay)
    {
        Parameter p = Float64(Start);
        var optimizer = new GradientDescent([p], learningRate: 0.1, momentum, nesterov, weightDecay);
        CheckTrajectory(optimizer, p, Reference(Start, Gradients, 0.1, momentum, nesterov, weightDecay));
        optimizer.StepCount.Should().Be(Gradients.Length);
    }

    [Theory]
    [InlineData(0.0, false, 0.0)]
    [InlineData(0.9, true, 0.1)]
    public void SgdIsTheSameRule(double momentum, bool nesterov, double weightDecay)
    {
        Parameter p = Float64(Start);
        var optimizer = new Sgd([p], learningRate: 0.1, momentum, nesterov, weightDecay);
        CheckTrajectory(optimizer, p, Reference(Start, Gradients, 0.1, momentum, nesterov, weightDecay));
    }

    [Fact]
    public void MomentumFollowsTheClassicNotesVelocityForm()
    {
        // v ← μv − ηg, θ ← θ + v, v₀ = 0: a different formula with the same trajectory for a constant η
        const double lr = 0.1, mu = 0.9;
        double[] theta = (double[])Start.Clone();
        double[] v = new double[theta.Length];
        var expected = new List<double[]>();
        foreach (double[] g in Gradients)
        {
            for (int i = 0; i < theta.Length; i++)
            {
                v[i] = mu * v[i] - lr * g[i];
                theta[i] += v[i];
            }

            expected.Add((double[])theta.Clone());
        }

        Parameter p = Float64(Start);
        var optimizer = new Momentum([p], lr);
        optimizer.Coefficient.Should().Be(0.9);
        CheckTrajectory(optimizer, p, [.. expected]);
    }

    [Fact]
    public void LearningRateCanChangeBetweenSteps()
    {
        Parameter p = Float64(Start);
        var optimizer = new GradientDescent([p], learningRate: 0.1, momentum: 0.9);
        SetGrad(p, Gradients[0]);
        optimizer.Step();
        optimizer.LearningRate = 0.05;
        SetGrad(p, Gradients[1]);
        optimizer.Step();

        for (int i = 0; i < Start.Length; i++)
        {
            double b1 = Gradients[0][i], b2 = 0.9 * b1 + Gradients[1][i];
            p.ToArray<double>()[i].Should().BeApproximately(Start[i] - 0.1 * b1 - 0.05 * b2, Tolerance);
        }
    }

    [Fact]
    public void Float32Works()
    {
        Parameter p = Float32(1.5f, -2f, 0.25f);
        var optimizer = new GradientDescent([p], learningRate: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.1);

        // float32 rounding of O(1) values over four steps: 1e-6, not the float64 tolerance
        CheckTrajectory(optimizer, p, Reference(Start, Gradients, 0.1, 0.9, true, 0.1), tolerance: 1e-6);
        p.DType.Should().Be(DType.Float32);
    }

    [Fact]
    public void ParametersWithoutGradientAreUntouchedAndTheirMomentumWaits()
    {
        Parameter a = Float64(Start), b = Float64(Start);
        var optimizer = new GradientDescent([a, b], learningRate: 0.1, momentum: 0.9);

        SetGrad(a, Gradients[0]);
        optimizer.Step();
        b.ToArray<double>().Should().Equal(Start);
        optimizer.StateDict().Keys.Should().NotContain(key => key.StartsWith("state.1."));

        // b's buffer starts at its first gradient, as in PyTorch; a's buffer is left as it was while a has no gradient
        a.ZeroGrad();
        SetGrad(b, Gradients[1]);
        optimizer.Step();
        SetGrad(a, Gradients[2]);
        SetGrad(b, Gradients[2]);
        optimizer.Step();

        double[][] expectedA = Reference(Start, [Gradients[0], Gradients[2]], 0.1, 0.9, false, 0);
        double[][] expectedB = Reference(Start, [Gradients[1], Gradients[2]], 0.1, 0.9, false, 0);
        a.ToArray<double>().Should().Equal(expectedA[1], (x, y) => Math.Abs(x - y) <= Tolerance);
        b.ToArray<double>().Should().Equal(expectedB[1], (x, y) => Math.Abs(x - y) <= Tolerance);
    }

    [Fact]
    public void AMismatchedGradientIsRefusedBeforeAnythingChanges()
    {
        Parameter a = Float64(Start), b = Float64(Start);
        var optimizer = new GradientDescent([a, b], learningRate: 0.1);
        SetGrad(a, Gradients[0]);
        b.Grad = Tensor.FromArray([1.0, 2.0], 2);
        var act = () => optimizer.Step();
        act.Should().Throw<InvalidOperationException>().WithMessage("GradientDescent: the gradient of Parameter(unnamed, [3], Float64) is [2] Float64*");
        a.ToArray<double>().Should().Equal(Start);
        optimizer.StepCount.Should().Be(0);
    }

    [Fact]
    public void RefusesInvalidHyperparameters()
    {
        Parameter p = Float64(Start);
        Action[] bad =
        [
            () => _ = new GradientDescent([p], learningRate: -1),
            () => _ = new GradientDescent([p], learningRate: double.NaN),
            () => _ = new GradientDescent([p], learningRate: double.PositiveInfinity),
            () => _ = new GradientDescent([p], 0.1, momentum: 1),
            () => _ = new GradientDescent([p], 0.1, momentum: -0.5),
            () => _ = new GradientDescent([p], 0.1, weightDecay: -1),
            () => _ = new GradientDescent([p], 0.1, nesterov: true),
            () => _ = new Momentum([p], 0.1, momentum: 1.5),
            () => _ = new Sgd([p], -0.1),
        ];
        string[] messages =
        [
            "GradientDescent: learningRate -1 must be non-negative and finite.*",
            "GradientDescent: learningRate NaN must be non-negative and finite.*",
            "GradientDescent: learningRate Infinity must be non-negative and finite.*",
            "GradientDescent: momentum 1 must be in [0, 1).*",
            "GradientDescent: momentum -0.5 must be in [0, 1).*",
            "GradientDescent: weightDecay -1 must be non-negative and finite.*",
            "GradientDescent: nesterov needs a positive momentum; momentum is 0.*",
            "Momentum: momentum 1.5 must be in [0, 1).*",
            "Sgd: learningRate -0.1 must be non-negative and finite.*",
        ];
        for (int i = 0; i < bad.Length; i++)
        {
            bad[i].Should().Throw<ArgumentOutOfRangeException>().WithMessage(messages[i]);
        }
    }

    [Fact]
    public void LearningRateSetterValidates()
    {
        var optimizer = new GradientDescent([Float64(Start)], learningRate: 0.1);
        var act = () => optimizer.LearningRate = -0.5;
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("GradientDescent: LearningRate -0.5 must be non-negative and finite.*");
        optimizer.LearningRate.Should().Be(0.1);
        optimizer.LearningRate = 0;
        optimizer.LearningRate.Should().Be(0);
    }

    [Fact]
    public void ToStringShowsTheHyperparameters()
    {
        Parameter p = Float64(Start);
        new GradientDescent([p], 0.1).ToString().Should().Be("GradientDescent(learningRate: 0.1, 1 parameters)");
        new GradientDescent([p], 0.1, 0.9, true, 1e-4).ToString()
            .Should().Be("GradientDescent(learningRate: 0.1, momentum: 0.9, nesterov, weightDecay: 0.0001, 1 parameters)");
        new Momentum([p], 0.01).ToString().Should().Be("Momentum(learningRate: 0.01, momentum: 0.9, 1 parameters)");
    }

    [Fact]
    public void PlainGradientDescentReachesTheQuadraticMinimum()
    {
        // curvatures 0.1..10 and η = 0.15: the slowest mode contracts by 1 − 0.015 per step, so 2000 steps leave
        // (0.985)^2000 ≈ 7e-14 of the starting error
        Parameter p = Float64(0, 0, 0);
        Minimise(new GradientDescent([p], learningRate: 0.15), Quadratic, steps: 2000);
        p.ToArray<double>().Should().Equal(QuadraticMinimum, (x, y) => Math.Abs(x - y) <= 1e-12);
    }

    [Fact]
    public void NesterovMomentumMinimisesRosenbrock()
    {
        // from the classic start (−1.2, 1) down the curved valley: 2e-4 from (1, 1) after 2000 steps, 7e-10 after 5000
        Parameter p = Float64(-1.2, 1.0);
        Minimise(new GradientDescent([p], learningRate: 1e-3, momentum: 0.9, nesterov: true), Rosenbrock, steps: 5000);
        p.ToArray<double>().Should().Equal([1.0, 1.0], (x, y) => Math.Abs(x - y) <= 1e-8);
    }

    [Fact]
    public void MomentumMinimisesRosenbrock()
    {
        // 2e-4 from (1, 1) after 2000 steps, 6e-10 after 5000
        Parameter p = Float64(-1.2, 1.0);
        Minimise(new Momentum([p], learningRate: 1e-3), Rosenbrock, steps: 5000);
        p.ToArray<double>().Should().Equal([1.0, 1.0], (x, y) => Math.Abs(x - y) <= 1e-8);
    }
}
