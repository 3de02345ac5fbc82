namespace NeuralNet.Optimizers.Tests.Schedules;

using NeuralNet.Optimizers.Schedules;
using static ScheduleTestKit;

/// <summary>Cosine annealing, with and without warm restarts, and the one-cycle policy against PyTorch's definitions.</summary>
public class CosineSchedulesTests
{
    private static double Cosine(double max, double min, double t, double period) => min + ((max - min) * (1 + Math.Cos(Math.PI * t / period)) / 2);

    [Fact]
    public void CosineAnnealingLRFallsFromTheBaseToEtaMinOverTMax()
    {
        var optimizer = Optimizer(0.1);
        double[] rates = Rates(new CosineAnnealingLR(optimizer, tMax: 10, etaMin: 0.001), 10);
        rates.ShouldMatch(t => Cosine(0.1, 0.001, t, 10));
        rates[10].Should().BeApproximately(0.001, 1e-15);
    }

    [Fact]
    public void WarmRestartsStartAgainAtTheBaseWithPeriodsGrowingByTMult()
    {
        // T₀ = 2, T_mult = 2: periods 2, 4, 8 starting at positions 0, 2, 6.
        var optimizer = Optimizer(1.0);
        static double Expected(int t) => t < 2 ? Cosine(1, 0.1, t, 2) : t < 6 ? Cosine(1, 0.1, t - 2, 4) : Cosine(1, 0.1, t - 6, 8);
        double[] rates = Rates(new CosineAnnealingWarmRestarts(optimizer, t0: 2, tMult: 2, etaMin: 0.1), 13);
        rates.ShouldMatch(Expected);
        rates[2].Should().Be(1.0, "a restart");
        rates[6].Should().Be(1.0, "a restart");
    }

    [Fact]
    public void OneCycleRisesFromMaxOverDivFactorToMaxThenFallsToTheFinalRate()
    {
        // PyTorch: initial = max/div, final = initial/final_div; phase ends at pct·total − 1 and total − 1;
        // cosine annealing between the phase's rates over its fraction of positions.
        const double max = 0.4, div = 25, finalDiv = 1e4;
        const int total = 20;
        double initial = max / div, final = initial / finalDiv, rising = (0.3 * total) - 1;
        double Expected(int t) => t <= rising
            ? Cosine(initial, max, t, rising)
            : Cosine(max, final, t - rising, total - 1 - rising);
        var optimizer = Optimizer(0.01);
        double[] rates = Rates(new OneCycleLR(optimizer, maxLearningRate: max, totalSteps: total), total - 1);
        rates.ShouldMatch(Expected);
        rates[0].Should().BeApproximately(initial, 1e-15);
        rates[(int)rising].Should().BeApproximately(max, 1e-15);
        rates[total - 1].Should().BeApproximately(final, 1e-18);
    }

    [Fact]
    public void OneCycleHasNoRatePastItsLastStep()
    {
        var optimizer = Optimizer();
        var schedule = new OneCycleLR(optimizer, maxLearningRate: 1, totalSteps: 3);
        // PyTorch refuses a step once last_epoch would exceed total_steps.
        schedule.Step();
        schedule.Step();
        schedule.Step();
        FluentActions.Invoking(schedule.Step).Should().Throw<InvalidOperationException>();
        schedule.Position.Should().Be(3, "a refused step changes nothing");
    }
}
