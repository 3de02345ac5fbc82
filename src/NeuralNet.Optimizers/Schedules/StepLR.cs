namespace NeuralNet.Optimizers.Schedules;

/// <summary>
/// Multiplies the rate by γ every <c>stepSize</c> positions: η_t = η_base · γ^⌊t / stepSize⌋ (PyTorch's <c>StepLR</c>).
/// </summary>
public sealed class StepLR : LearningRateSchedule
{
    /// <summary>Binds the schedule to <paramref name="optimizer"/> and sets its rate to η_base.</summary>
    /// <param name="optimizer">The optimizer; its current rate is η_base.</param>
    /// <param name="stepSize">Positions between decays, ≥ 1.</param>
    /// <param name="gamma">The decay factor γ &gt; 0. Default 0.1.</param>
    /// <exception cref="ArgumentNullException"><paramref name="optimizer"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public StepLR(Optimizer optimizer, int stepSize, double gamma = 0.1)
        : base(optimizer)
    {
        StepSize = ScheduleArgument.Positive(this, nameof(stepSize), stepSize);
        Gamma = ScheduleArgument.Positive(this, nameof(gamma), gamma);
        Start();
    }

    /// <summary>Positions between decays.</summary>
    public int StepSize { get; }

    /// <summary>The decay factor γ.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    protected override double LearningRateAt(double baseLearningRate, int position) =>
        baseLearningRate * Math.Pow(Gamma, position / StepSize);
}
