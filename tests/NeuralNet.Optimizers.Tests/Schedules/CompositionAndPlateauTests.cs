namespace NeuralNet.Optimizers.Tests.Schedules;

using NeuralNet.Optimizers.Schedules;
using static ScheduleTestKit;

/// <summary>SequentialLR, ChainedScheduler, ReduceLROnPlateau, and State/LoadState, against PyTorch's definitions.</summary>
public class CompositionAndPlateauTests
{
    [Fact]
    public void WarmUpThenCosineIsLinearLRThenCosineAnnealingLRFromItsOwnStart()
    {
        // SequentialLR restarts the second schedule at position 0 at the milestone, from the base rate.
        var optimizer = Optimizer(0.1);
        var schedule = new SequentialLR(
            optimizer,
            [new LinearLR(optimizer, startFactor: 0.1, totalIters: 3), new CosineAnnealingLR(optimizer, tMax: 6)],
            milestones: [3]);
        Rates(schedule, 9).ShouldMatch(t => t < 3
            ? 0.1 * (0.1 + (0.9 * t / 3.0))
            : 0.1 * (1 + Math.Cos(Math.PI * (t - 3) / 6)) / 2);
    }

    [Fact]
    public void ChainedSchedulerMultipliesTheFactorsOfItsParts()
    {
        // ExponentialLR(0.9) chained with StepLR(2, 0.5): η_t = η₀ · 0.9ᵗ · 0.5^⌊t/2⌋.
        var optimizer = Optimizer(1.0);
        var schedule = new ChainedScheduler(optimizer, [new ExponentialLR(optimizer, 0.9), new StepLR(optimizer, 2, 0.5)]);
        Rates(schedule, 7).ShouldMatch(t => Math.Pow(0.9, t) * Math.Pow(0.5, t / 2));
    }

    [Fact]
    public void AScheduleRestoredFromItsStateContinuesIdentically()
    {
        var first = Optimizer(0.3);
        var schedule = new CosineAnnealingWarmRestarts(first, t0: 3, tMult: 2);
        for (int t = 0; t < 5; t++)
        {
            schedule.Step();
        }

        var second = Optimizer(0.7);
        var restored = new CosineAnnealingWarmRestarts(second, t0: 3, tMult: 2);
        restored.LoadState(schedule.State);
        restored.Position.Should().Be(5);
        second.LearningRate.Should().Be(first.LearningRate);
        Rates(restored, 6).Skip(1).Should().Equal(Rates(schedule, 6).Skip(1));

        FluentActions.Invoking(() => restored.LoadState(new Dictionary<string, double> { ["position"] = -1, ["baseLearningRate.0"] = 0.1 }))
            .Should().Throw<ArgumentException>().WithMessage("*position*");
        restored.Position.Should().Be(11, "a refused state changes nothing");
    }

    [Fact]
    public void ReduceLROnPlateauCutsTheRateAfterPatienceBadStepsThenCoolsDown()
    {
        // PyTorch, mode min, relative threshold 0.1: better means metric < best·(1 − 0.1).
        var optimizer = Optimizer(1.0);
        var plateau = new ReduceLROnPlateau(optimizer, factor: 0.5, patience: 1, threshold: 0.1, cooldown: 1, minLearningRate: 0.2);
        double[] metrics = [10, 9.5, 9.2, 9.1, 9.0, 8.0, 8.0, 8.0, 8.0, 8.0, 8.0, 8.0];
        var rates = new List<double>();
        foreach (double metric in metrics)
        {
            plateau.Step(metric);
            rates.Add(optimizer.LearningRate);
        }

        // 10 best; 9.5 and 9.2 are not 10 % better: two bad steps > patience 1 → 0.5, cooldown 1 step (9.1 not counted);
        // 9.0 is 10 % better than 10 → best; 8.0 is 10 % better than 9.0 → best; then 8.0 ×2 bad → 0.25, cooldown,
        // two more bad → 0.2 (the floor, not 0.125), and it stays there.
        rates.Should().Equal(1, 1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.2, 0.2);
    }

    [Fact]
    public void ReduceLROnPlateauInMaxModeWithAnAbsoluteThreshold()
    {
        var optimizer = Optimizer(1.0);
        var plateau = new ReduceLROnPlateau(optimizer, mode: PlateauMode.Max, factor: 0.1, patience: 0, threshold: 0.05, thresholdMode: ThresholdMode.Absolute);
        plateau.Step(0.90);   // best
        plateau.Step(0.94);   // not above 0.90 + 0.05: bad > patience 0 → 0.1
        optimizer.LearningRate.Should().BeApproximately(0.1, 1e-15);
        plateau.Step(0.96);   // above 0.95: best
        optimizer.LearningRate.Should().BeApproximately(0.1, 1e-15);
        FluentActions.Invoking(() => new ReduceLROnPlateau(optimizer, factor: 1.0)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*ReduceLROnPlateau*factor*1*");
    }

    [Fact]
    public void EachGroupFollowsTheScheduleFromItsOwnBaseRate()
    {
        // PyTorch's base_lrs: one base rate per group, the same factor for all.
        Parameter a = new(Tensor.Zeros([1])), b = new(Tensor.Zeros([1]));
        var optimizer = new Sgd([new ParameterGroup([a]), new ParameterGroup([b], learningRate: 0.01)], learningRate: 0.1);
        var schedule = new StepLR(optimizer, stepSize: 2, gamma: 0.5);
        schedule.BaseLearningRates.Should().Equal(0.1, 0.01);
        for (int t = 1; t <= 5; t++)
        {
            schedule.Step();
            optimizer.Groups[0].LearningRate.Should().BeApproximately(0.1 * Math.Pow(0.5, t / 2), 1e-17);
            optimizer.Groups[1].LearningRate.Should().BeApproximately(0.01 * Math.Pow(0.5, t / 2), 1e-18);
            schedule.LearningRates.Should().Equal(optimizer.Groups[0].LearningRate, optimizer.Groups[1].LearningRate);
        }

        var plateau = new ReduceLROnPlateau(optimizer, factor: 0.1, patience: 0);
        plateau.Step(1.0);
        plateau.Step(2.0);
        plateau.LearningRates[0].Should().BeApproximately(0.1 * 0.25 * 0.1, 1e-17);
        plateau.LearningRates[1].Should().BeApproximately(0.01 * 0.25 * 0.1, 1e-18);

        var single = new StepLR(Optimizer(0.1), stepSize: 2);
        FluentActions.Invoking(() => single.LoadState(schedule.State))
            .Should().Throw<ArgumentException>().WithMessage("*StepLR: the state has an unknown key baseLearningRate.1*");
    }
}
