namespace NeuralNet.Optimizers.Tests.Schedules;

using NeuralNet;
using NeuralNet.Optimizers;
using NeuralNet.Optimizers.Schedules;

/// <summary>An optimizer to schedule, and the rates a schedule gives position by position.</summary>
internal static class ScheduleTestKit
{
    public static Sgd Optimizer(double learningRate = 0.1) => new([new Parameter(Tensor.Zeros([1]))], learningRate: learningRate);

    /// <summary>The optimizer's rate at positions 0 (after construction) to <paramref name="last"/>.</summary>
    public static double[] Rates(LearningRateSchedule schedule, int last)
    {
        var rates = new double[last + 1];
        rates[0] = schedule.Optimizer.LearningRate;
        for (int t = 1; t <= last; t++)
        {
            schedule.Step();
            rates[t] = schedule.Optimizer.LearningRate;
            schedule.LearningRate.Should().Be(rates[t], "the schedule reports the rate it set");
        }

        return rates;
    }

    public static void ShouldMatch(this double[] actual, Func<int, double> expected)
    {
        for (int t = 0; t < actual.Length; t++)
        {
            actual[t].Should().BeApproximately(expected(t), 1e-15 + (1e-12 * Math.Abs(expected(t))), $"the rate at position {t}");
        }
    }
}
