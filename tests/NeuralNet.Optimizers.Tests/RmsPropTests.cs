namespace NeuralNet.Optimizers.Tests;

using NeuralNet;
using NeuralNet.Optimizers;
using static NeuralNet.Optimizers.Tests.TestFunctions;

public class RmsPropTests
{
    /// <summary>Hinton's RMSProp in PyTorch's form, and with <paramref name="centered"/> Graves's centered form
    /// (PyTorch's <c>centered=True</c>), one element at a time, written from the formula.</summary>
    private static double[][] Reference(
        double[] start, double[][] gradients, double lr, double alpha, double eps, double mu, double wd, bool centered = false)
    {
        double[] theta = (double[])start.Clone();
        double[] v = new double[theta.Length];
        double[] mean = new double[theta.Length];
        double[] b = new double[theta.Length];
        var trajectory = new List<double[]>();
        foreach (double[] grad in gradients)
        {
            for (int i = 0; i < theta.Length; i++)
            {
                double g = grad[i] + wd * theta[i];
                v[i] = alpha * v[i] + (1 - alpha) * g * g;
                mean[i] = alpha * mean[i] + (1 - alpha) * g;
                double variance = centered ? v[i] - mean[i] * mean[i] : v[i];
                double s = g / (Math.Sqrt(variance) + eps);
                if (mu > 0)
                {
                    b[i] = mu * b[i] + s;
                    theta[i] -= lr * b[i];
                }
                else
                {
                    theta[i] -= lr * s;
                }
            }

            trajectory.Add((double[])theta.Clone());
        }

        return [.. trajectory];
    }

    [Theory]
    [InlineData(0.01, 0.99, 1e-8, 0.0, 0.0)]
    [InlineData(0.1, 0.9, 1e-8, 0.0, 0.0)]
    [InlineData(0.1, 0.9, 0.5, 0.0, 0.0)]
    [InlineData(0.1, 0.9, 1e-8, 0.9, 0.0)]
    [InlineData(0.1, 0.5, 1e-8, 0.0, 0.1)]
    [InlineData(0.1, 0.99, 1e-8, 0.8, 0.1)]
    public void FollowsTheUpdateRuleStepByStep(double learningRate, double alpha, double epsilon, double momentum, double weightDecay)
    {
        Parameter p = Float64(Start);
        var optimizer = new RmsProp([p], learningRate, alpha, epsilon, momentum, weightDecay);
        CheckTrajectory(optimizer, p, Reference(Start, Gradients, learningRate, alpha, epsilon, momentum, weightDecay));
    }

    [Theory]
    [InlineData(0.01, 0.99, 1e-8, 0.0, 0.0)]
    [InlineData(0.1, 0.9, 1e-8, 0.0, 0.0)]
    [InlineData(0.1, 0.5, 0.3, 0.0, 0.0)]
    [InlineData(0.1, 0.9, 1e-8, 0.9, 0.0)]
    [InlineData(0.1, 0.5, 1e-8, 0.0, 0.1)]
    [InlineData(0.1, 0.9, 1e-8, 0.8, 0.1)]
    public void CenteredFollowsTheUpdateRuleStepByStep(double learningRate, double alpha, double epsilon, double momentum, double weightDecay)
    {
        Parameter p = Float64(Start);
        var optimizer = new RmsProp([p], learningRate, alpha, epsilon, momentum, weightDecay, centered: true);
        optimizer.Centered.Should().BeTrue();
        CheckTrajectory(optimizer, p, Reference(Start, Gradients, learningRate, alpha, epsilon, momentum, weightDecay, centered: true));
    }

    [Fact]
    public void CenteredFirstStepDividesByTheSpreadOfOneGradient()
    {
        // after one step v = (1 − α)g² and ḡ = (1 − α)g, so v − ḡ² = α(1 − α)g² and the step is
        // η g / (|g|√(α(1 − α)) + ε): a step of η/√(α(1 − α)) = 0.2 for α = 0.5, η = 0.1, ε tiny, whatever g is
        Parameter p = Float64(Start);
        var optimizer = new RmsProp([p], learningRate: 0.1, alpha: 0.5, epsilon: 1e-300, centered: true);
        SetGrad(p, Gradients[0]);
        optimizer.Step();
        double[] theta = p.ToArray<double>();
        for (int i = 0; i < theta.Length; i++)
        {
            theta[i].Should().BeApproximately(Start[i] - (0.2 * Math.Sign(Gradients[0][i])), Tolerance);
        }
    }

    [Fact]
    public void Float32Works()
    {
        Parameter p = Float32(1.5f, -2f, 0.25f);
        var optimizer = new RmsProp([p], learningRate: 0.1, momentum: 0.8, weightDecay: 0.1);

        // float32 rounding of O(1) values over four steps: 1e-6, not the float64 tolerance
        CheckTrajectory(optimizer, p, Reference(Start, Gradients, 0.1, 0.99, 1e-8, 0.8, 0.1), tolerance: 1e-6);
    }

    [Fact]
    public void CenteredFloat32Works()
    {
        Parameter p = Float32(1.5f, -2f, 0.25f);
        var optimizer = new RmsProp([p], learningRate: 0.1, alpha: 0.9, momentum: 0.8, weightDecay: 0.1, centered: true);

        // float32 rounding of O(1) values over four steps, divided by a spread as small as 0.3|g|: 1e-5
        CheckTrajectory(optimizer, p, Reference(Start, Gradients, 0.1, 0.9, 1e-8, 0.8, 0.1, centered: true), tolerance: 1e-5);
    }

    [Fact]
    public void ParametersWithoutGradientAreUntouched()
    {
        Parameter a = Float64(Start), b = Float64(Start);
        var optimizer = new RmsProp([a, b], learningRate: 0.1, momentum: 0.9);
        SetGrad(a, Gradients[0]);
        optimizer.Step();
        b.ToArray<double>().Should().Equal(Start);
        optimizer.StateDict().Keys.Where(key => key.StartsWith("state.")).Should()
            .BeEquivalentTo("state.0.step", "state.0.square_avg", "state.0.momentum_buffer");
    }

    [Fact]
    public void RefusesInvalidHyperparameters()
    {
        Parameter p = Float64(Start);
        var negativeRate = () => new RmsProp([p], learningRate: -1);
        negativeRate.Should().Throw<ArgumentOutOfRangeException>().WithMessage("RmsProp: learningRate -1 must be non-negative and finite.*");
        var alphaOne = () => new RmsProp([p], alpha: 1);
        alphaOne.Should().Throw<ArgumentOutOfRangeException>().WithMessage("RmsProp: alpha 1 must be in [0, 1).*");
        var negativeEpsilon = () => new RmsProp([p], epsilon: -1e-8);
        negativeEpsilon.Should().Throw<ArgumentOutOfRangeException>().WithMessage("RmsProp: epsilon -1E-08 must be positive and finite.*");
        var momentumOne = () => new RmsProp([p], momentum: 1);
        momentumOne.Should().Throw<ArgumentOutOfRangeException>().WithMessage("RmsProp: momentum 1 must be in [0, 1).*");
        var negativeDecay = () => new RmsProp([p], weightDecay: -0.1);
        negativeDecay.Should().Throw<ArgumentOutOfRangeException>().WithMessage("RmsProp: weightDecay -0.1 must be non-negative and finite.*");
    }

    [Fact]
    public void ToStringShowsTheHyperparameters()
    {
        new RmsProp([Float64(Start)], momentum: 0.9).ToString()
            .Should().Be("RmsProp(learningRate: 0.01, alpha: 0.99, epsilon: 1E-08, momentum: 0.9, 1 parameters)");
        new RmsProp([Float64(Start)], centered: true).ToString()
            .Should().Be("RmsProp(learningRate: 0.01, alpha: 0.99, epsilon: 1E-08, centered, 1 parameters)");
    }

    [Fact]
    public void CenteredReachesTheQuadraticMinimum()
    {
        Parameter p = Float64(0, 0, 0);
        Minimise(new RmsProp([p], learningRate: 0.05, centered: true), Quadratic, steps: 500);
        p.ToArray<double>().Should().Equal(QuadraticMinimum, (x, y) => Math.Abs(x - y) <= 1e-9);
    }

    [Fact]
    public void ReachesTheQuadraticMinimum()
    {
        // from 3.6 away on curvatures 0.1..10, η = 0.05: about 2e-5 after 100 steps, 1e-12 after 200, rounding after 300
        Parameter p = Float64(0, 0, 0);
        Minimise(new RmsProp([p], learningRate: 0.05), Quadratic, steps: 500);
        p.ToArray<double>().Should().Equal(QuadraticMinimum, (x, y) => Math.Abs(x - y) <= 1e-12);
    }
}
