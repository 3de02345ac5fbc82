namespace NeuralNet.Optimizers.Tests;

using NeuralNet;
using NeuralNet.Optimizers;
using static NeuralNet.Optimizers.Tests.TestFunctions;

public class AdaGradTests
{
    /// <summary>Duchi et al.'s AdaGrad in PyTorch's form, one element at a time, written from the formula.</summary>
    private static double[][] Reference(double[] start, double[][] gradients, double lr, double eps, double wd)
    {
        double[] theta = (double[])start.Clone();
        double[] sum = new double[theta.Length];
        var trajectory = new List<double[]>();
        foreach (double[] grad in gradients)
        {
            for (int i = 0; i < theta.Length; i++)
            {
                double g = grad[i] + wd * theta[i];
                sum[i] += g * g;
                theta[i] -= lr * g / (Math.Sqrt(sum[i]) + eps);
            }

            trajectory.Add((double[])theta.Clone());
        }

        return [.. trajectory];
    }

    [Theory]
    [InlineData(0.01, 1e-10, 0.0)]
    [InlineData(0.5, 1e-10, 0.0)]
    [InlineData(0.5, 0.3, 0.0)]
    [InlineData(0.5, 1e-10, 0.2)]
    public void FollowsTheUpdateRuleStepByStep(double learningRate, double epsilon, double weightDecay)
    {
        Parameter p = Float64(Start);
        var optimizer = new AdaGrad([p], learningRate, epsilon, weightDecay);
        CheckTrajectory(optimizer, p, Reference(Start, Gradients, learningRate, epsilon, weightDecay));
    }

    [Fact]
    public void Float32Works()
    {
        Parameter p = Float32(1.5f, -2f, 0.25f);
        var optimizer = new AdaGrad([p], learningRate: 0.5, weightDecay: 0.2);

        // float32 rounding of O(1) values over four steps: 1e-6, not the float64 tolerance
        CheckTrajectory(optimizer, p, Reference(Start, Gradients, 0.5, 1e-10, 0.2), tolerance: 1e-6);
    }

    [Fact]
    public void ParametersWithoutGradientAreUntouched()
    {
        Parameter a = Float64(Start), b = Float64(Start);
        var optimizer = new AdaGrad([a, b], learningRate: 0.5);
        SetGrad(a, Gradients[0]);
        optimizer.Step();
        b.ToArray<double>().Should().Equal(Start);
        optimizer.StateDict().Keys.Where(key => key.StartsWith("state.")).Should().BeEquivalentTo("state.0.step", "state.0.sum");
    }

    [Fact]
    public void RefusesInvalidHyperparameters()
    {
        Parameter p = Float64(Start);
        var negativeRate = () => new AdaGrad([p], learningRate: -0.01);
        negativeRate.Should().Throw<ArgumentOutOfRangeException>().WithMessage("AdaGrad: learningRate -0.01 must be non-negative and finite.*");
        var zeroEpsilon = () => new AdaGrad([p], epsilon: 0);
        zeroEpsilon.Should().Throw<ArgumentOutOfRangeException>().WithMessage("AdaGrad: epsilon 0 must be positive and finite.*");
        var nanDecay = () => new AdaGrad([p], weightDecay: double.NaN);
        nanDecay.Should().Throw<ArgumentOutOfRangeException>().WithMessage("AdaGrad: weightDecay NaN must be non-negative and finite.*");
    }

    [Fact]
    public void ToStringShowsTheHyperparameters() =>
        new AdaGrad([Float64(Start)]).ToString().Should().Be("AdaGrad(learningRate: 0.01, epsilon: 1E-10, 1 parameters)");

    [Fact]
    public void ReachesTheQuadraticMinimum()
    {
        // AdaGrad's steps shrink like η/√t, so an O(1) distance needs an η near 1 rather than the default 0.01
        // (which is still 2.4 away after 1000 steps); with η = 1 it is 4e-12 away after 100 steps
        Parameter p = Float64(0, 0, 0);
        Minimise(new AdaGrad([p], learningRate: 1.0), Quadratic, steps: 300);
        p.ToArray<double>().Should().Equal(QuadraticMinimum, (x, y) => Math.Abs(x - y) <= 1e-12);
    }
}
