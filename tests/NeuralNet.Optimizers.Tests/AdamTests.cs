namespace NeuralNet.Optimizers.Tests;

using NeuralNet;
using NeuralNet.Optimizers;
using static NeuralNet.Optimizers.Tests.TestFunctions;

public class AdamTests
{
    /// <summary>Kingma and Ba's Adam (Algorithm 1, ε added to √v̂), with an L2 penalty or Loshchilov and Hutter's
    /// decoupled decay, one element at a time, written from the formula.</summary>
    /// <remarks>With <paramref name="amsGrad"/>, Reddi et al.'s AMSGrad as PyTorch has it: the running maximum of v
    /// (uncorrected) replaces v in v̂.</remarks>
    private static double[][] Reference(
        double[] start, double[][] gradients, double lr, double beta1, double beta2, double eps, double wd, bool decoupled, bool amsGrad = false)
    {
        double[] theta = (double[])start.Clone();
        double[] m = new double[theta.Length];
        double[] v = new double[theta.Length];
        double[] vMax = new double[theta.Length];
        var trajectory = new List<double[]>();
        int t = 0;
        foreach (double[] grad in gradients)
        {
            t++;
            for (int i = 0; i < theta.Length; i++)
            {
                double g = grad[i];
                if (decoupled)
                {
                    theta[i] -= lr * wd * theta[i];
                }
                else
                {
                    g += wd * theta[i];
                }

                m[i] = beta1 * m[i] + (1 - beta1) * g;
                v[i] = beta2 * v[i] + (1 - beta2) * g * g;
                double mHat = m[i] / (1 - Math.Pow(beta1, t));
                vMax[i] = Math.Max(vMax[i], v[i]);
                double vHat = (amsGrad ? vMax[i] : v[i]) / (1 - Math.Pow(beta2, t));
                theta[i] -= lr * mHat / (Math.Sqrt(vHat) + eps);
            }

            trajectory.Add((double[])theta.Clone());
        }

        return [.. trajectory];
    }

    [Theory]
    [InlineData(1e-3, 0.9, 0.999, 1e-8, 0.0, false)]
    [InlineData(0.1, 0.9, 0.999, 1e-8, 0.0, false)]
    [InlineData(0.1, 0.5, 0.8, 0.3, 0.0, false)]
    [InlineData(0.1, 0.0, 0.0, 1e-8, 0.0, false)]
    [InlineData(0.1, 0.9, 0.999, 1e-8, 0.1, false)]
    [InlineData(0.1, 0.9, 0.999, 1e-8, 0.1, true)]
    public void FollowsTheUpdateRuleStepByStep(double learningRate, double beta1, double beta2, double epsilon, double weightDecay, bool decoupled)
    {
        Parameter p = Float64(Start);
        var optimizer = new Adam([p], learningRate, beta1, beta2, epsilon, weightDecay, decoupled);
        CheckTrajectory(optimizer, p, Reference(Start, Gradients, learningRate, beta1, beta2, epsilon, weightDecay, decoupled));
    }

    [Theory]
    [InlineData(0.1, 0.9, 0.999, 1e-8, 0.0, false)]
    [InlineData(0.1, 0.5, 0.8, 0.3, 0.0, false)]
    [InlineData(0.1, 0.9, 0.5, 1e-8, 0.0, false)]
    [InlineData(0.1, 0.9, 0.999, 1e-8, 0.1, false)]
    [InlineData(0.1, 0.9, 0.5, 1e-8, 0.1, true)]
    public void AmsGradFollowsTheUpdateRuleStepByStep(double learningRate, double beta1, double beta2, double epsilon, double weightDecay, bool decoupled)
    {
        Parameter p = Float64(Start);
        var optimizer = new Adam([p], learningRate, beta1, beta2, epsilon, weightDecay, decoupled, amsGrad: true);
        optimizer.AmsGrad.Should().BeTrue();
        CheckTrajectory(optimizer, p, Reference(Start, Gradients, learningRate, beta1, beta2, epsilon, weightDecay, decoupled, amsGrad: true));
    }

    [Fact]
    public void AmsGradDiffersFromAdamOnlyOnceVFalls()
    {
        // β₂ = 0.5 and a gradient that drops from 2 to 0.1: v falls at step 2, where AMSGrad keeps v_max = v₁ and so
        // takes a smaller step than Adam; at step 1 the two agree exactly
        Parameter adamPoint = Float64(1.0), amsPoint = Float64(1.0);
        var adam = new Adam([adamPoint], learningRate: 0.1, beta2: 0.5);
        var ams = new Adam([amsPoint], learningRate: 0.1, beta2: 0.5, amsGrad: true);
        SetGrad(adamPoint, [2.0]);
        SetGrad(amsPoint, [2.0]);
        adam.Step();
        ams.Step();
        amsPoint.ToArray<double>().Should().Equal(adamPoint.ToArray<double>());
        SetGrad(adamPoint, [0.1]);
        SetGrad(amsPoint, [0.1]);
        adam.Step();
        ams.Step();

        // both move down (g > 0); AMSGrad less far
        double adamTheta = adamPoint.ToArray<double>()[0], amsTheta = amsPoint.ToArray<double>()[0];
        amsTheta.Should().BeGreaterThan(adamTheta + 0.01);
        amsTheta.Should().BeApproximately(Reference([1.0], [[2.0], [0.1]], 0.1, 0.9, 0.5, 1e-8, 0, false, amsGrad: true)[1][0], Tolerance);
    }

    [Fact]
    public void AdamWAmsGradFollowsTheUpdateRule()
    {
        Parameter p = Float64(Start);
        var optimizer = new AdamW([p], learningRate: 0.1, beta2: 0.5, amsGrad: true);
        CheckTrajectory(optimizer, p, Reference(Start, Gradients, 0.1, 0.9, 0.5, 1e-8, 0.01, decoupled: true, amsGrad: true));
    }

    [Fact]
    public void AmsGradFloat32Works()
    {
        Parameter p = Float32(1.5f, -2f, 0.25f);
        var optimizer = new AdamW([p], learningRate: 0.1, beta2: 0.5, amsGrad: true);

        // float32 rounding of O(1) values over four steps: 1e-6, not the float64 tolerance
        CheckTrajectory(optimizer, p, Reference(Start, Gradients, 0.1, 0.9, 0.5, 1e-8, 0.01, decoupled: true, amsGrad: true), tolerance: 1e-6);
    }

    [Fact]
    public void AdamWIsAdamWithDecoupledDecay()
    {
        Parameter p = Float64(Start);
        var optimizer = new AdamW([p], learningRate: 0.1);
        optimizer.WeightDecay.Should().Be(0.01);
        CheckTrajectory(optimizer, p, Reference(Start, Gradients, 0.1, 0.9, 0.999, 1e-8, 0.01, decoupled: true));
    }

    [Fact]
    public void Float32Works()
    {
        Parameter p = Float32(1.5f, -2f, 0.25f);
        var optimizer = new Adam([p], learningRate: 0.1, weightDecay: 0.1);

        // float32 rounding of O(1) values over four steps: 1e-6, not the float64 tolerance
        CheckTrajectory(optimizer, p, Reference(Start, Gradients, 0.1, 0.9, 0.999, 1e-8, 0.1, false), tolerance: 1e-6);
    }

    [Fact]
    public void BiasCorrectionCountsEachParametersOwnUpdates()
    {
        // b has no gradient at step 1, so its first update is at the optimizer's step 2 and is corrected with t = 1,
        // as PyTorch's per-parameter step does; the first Adam step of any parameter then moves each element by η
        Parameter a = Float64(Start), b = Float64(Start);
        var optimizer = new Adam([a, b], learningRate: 0.1);
        SetGrad(a, Gradients[0]);
        optimizer.Step();
        b.ToArray<double>().Should().Equal(Start);
        optimizer.StateDict().Keys.Should().NotContain(key => key.StartsWith("state.1."));

        SetGrad(a, Gradients[1]);
        SetGrad(b, Gradients[1]);
        optimizer.Step();
        SetGrad(a, Gradients[2]);
        SetGrad(b, Gradients[2]);
        optimizer.Step();

        optimizer.StepCount.Should().Be(3);
        optimizer.StateDict()["state.0.step"].Item().Should().Be(3);
        optimizer.StateDict()["state.1.step"].Item().Should().Be(2);
        double[][] expectedA = Reference(Start, Gradients[..3], 0.1, 0.9, 0.999, 1e-8, 0, false);
        double[][] expectedB = Reference(Start, Gradients[1..3], 0.1, 0.9, 0.999, 1e-8, 0, false);
        a.ToArray<double>().Should().Equal(expectedA[2], (x, y) => Math.Abs(x - y) <= Tolerance);
        b.ToArray<double>().Should().Equal(expectedB[1], (x, y) => Math.Abs(x - y) <= Tolerance);
    }

    [Fact]
    public void RefusesInvalidHyperparameters()
    {
        Parameter p = Float64(Start);
        var beta1 = () => new Adam([p], beta1: 1.5);
        beta1.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Adam: beta1 1.5 must be in [0, 1).*")
            .Which.ParamName.Should().Be("beta1");
        var beta2 = () => new Adam([p], beta2: 1);
        beta2.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Adam: beta2 1 must be in [0, 1).*");
        var negativeBeta = () => new AdamW([p], beta1: -0.1);
        negativeBeta.Should().Throw<ArgumentOutOfRangeException>().WithMessage("AdamW: beta1 -0.1 must be in [0, 1).*");
        var rate = () => new Adam([p], learningRate: double.NegativeInfinity);
        rate.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Adam: learningRate -Infinity must be non-negative and finite.*");
        var epsilon = () => new Adam([p], epsilon: 0);
        epsilon.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Adam: epsilon 0 must be positive and finite.*");
        var decay = () => new AdamW([p], weightDecay: -0.01);
        decay.Should().Throw<ArgumentOutOfRangeException>().WithMessage("AdamW: weightDecay -0.01 must be non-negative and finite.*");
    }

    [Fact]
    public void ToStringShowsTheHyperparameters()
    {
        Parameter p = Float64(Start);
        new Adam([p]).ToString().Should().Be("Adam(learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1E-08, 1 parameters)");
        new Adam([p], weightDecay: 0.01, decoupledWeightDecay: true).ToString()
            .Should().Be("Adam(learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1E-08, weightDecay: 0.01 (decoupled), 1 parameters)");
        new AdamW([p]).ToString().Should().Be("AdamW(learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1E-08, weightDecay: 0.01, 1 parameters)");
        new Adam([p], amsGrad: true).ToString().Should().Be("Adam(learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1E-08, amsGrad, 1 parameters)");
    }

    [Fact]
    public void MinimisesRosenbrock()
    {
        // 1e-3 from (1, 1) after 3000 steps, 6e-12 after 5000. Left to run, it reaches rounding level by 5500 and then
        // leaves again (2e-3 away at 6500): with g ≈ 0, v̂ decays faster than m̂ and the step m̂/(√v̂ + ε) grows back to
        // about η. That is Adam's rule, not a bug: a scalar transcription of Algorithm 1 with the analytic gradient
        // follows the same path to printed precision.
        Parameter p = Float64(-1.2, 1.0);
        var optimizer = new Adam([p], learningRate: 0.02);
        Minimise(optimizer, Rosenbrock, steps: 5000);
        p.ToArray<double>().Should().Equal([1.0, 1.0], (x, y) => Math.Abs(x - y) <= 1e-9);
    }
}
