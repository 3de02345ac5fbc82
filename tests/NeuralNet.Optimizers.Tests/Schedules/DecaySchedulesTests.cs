namespace NeuralNet.Optimizers.Tests.Schedules;

using NeuralNet.Optimizers.Schedules;
using static ScheduleTestKit;

/// <summary>StepLR, MultiStepLR, ExponentialLR and LinearLR against PyTorch's closed forms.</summary>
public class DecaySchedulesTests
{
    [Fact]
    public void StepLRDecaysByGammaEveryStepSize()
    {
        // η_t = η₀ γ^⌊t / s⌋
        var optimizer = Optimizer(0.1);
        Rates(new StepLR(optimizer, stepSize: 3, gamma: 0.5), 10).ShouldMatch(t => 0.1 * Math.Pow(0.5, t / 3));
    }

    [Fact]
    public void MultiStepLRDecaysAtEachMilestone()
    {
        // η_t = η₀ γ^(number of milestones ≤ t)
        var optimizer = Optimizer(1.0);
        int[] milestones = [2, 5, 6];
        Rates(new MultiStepLR(optimizer, milestones, gamma: 0.1), 9).ShouldMatch(t => Math.Pow(0.1, milestones.Count(m => m <= t)));
    }

    [Fact]
    public void ExponentialLRDecaysEveryStep()
    {
        var optimizer = Optimizer(0.2);
        Rates(new ExponentialLR(optimizer, gamma: 0.9), 8).ShouldMatch(t => 0.2 * Math.Pow(0.9, t));
    }

    [Fact]
    public void LinearLRMovesTheFactorLinearlyThenHolds()
    {
        // factor = s + (e − s) min(t, T)/T (PyTorch's LinearLR closed form)
        var optimizer = Optimizer(0.5);
        Rates(new LinearLR(optimizer, startFactor: 0.25, endFactor: 1.0, totalIters: 4), 7)
            .ShouldMatch(t => 0.5 * (0.25 + (0.75 * Math.Min(t, 4) / 4.0)));
    }

    [Fact]
    public void BadSettingsAreRefusedNamingTheScheduleParameterAndValue()
    {
        var optimizer = Optimizer();
        FluentActions.Invoking(() => new StepLR(optimizer, stepSize: 0)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*StepLR*stepSize*0*");
        FluentActions.Invoking(() => new ExponentialLR(optimizer, gamma: -1)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*ExponentialLR*gamma*-1*");
        FluentActions.Invoking(() => new StepLR(null!, stepSize: 1)).Should().Throw<ArgumentNullException>();
    }
}
