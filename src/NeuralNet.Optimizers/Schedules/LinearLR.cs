namespace NeuralNet.Optimizers.Schedules;

/// <summary>
/// Moves the rate's factor linearly from <c>startFactor</c> to <c>endFactor</c> over <c>totalIters</c> positions, then
/// holds it: η_t = η_base · (s + (e − s) · min(t, totalIters) / totalIters) (PyTorch's <c>LinearLR</c>, the usual
/// warm-up).
/// </summary>
/// <remarks>PyTorch's <c>step()</c> uses a recursive form with the same values up to rounding on a plain run.</remarks>
public sealed class LinearLR : LearningRateSchedule
{
    /// <summary>Binds the schedule to <paramref name="optimizer"/> and sets its rate to η_base · <paramref name="startFactor"/>.</summary>
    /// <param name="optimizer">The optimizer; its current rate is η_base.</param>
    /// <param name="startFactor">The factor at position 0, in (0, 1]. Default 1/3.</param>
    /// <param name="endFactor">The factor from <paramref name="totalIters"/> on, in [0, 1]. Default 1.</param>
    /// <param name="totalIters">The positions the change takes, ≥ 1. Default 5.</param>
    /// <exception cref="ArgumentNullException"><paramref name="optimizer"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range (PyTorch's bounds on the factors).</exception>
    public LinearLR(Optimizer optimizer, double startFactor = 1.0 / 3, double endFactor = 1.0, int totalIters = 5)
        : base(optimizer)
    {
        StartFactor = ScheduleArgument.InRange(this, nameof(startFactor), startFactor, 0, 1, lowOpen: true);
        EndFactor = ScheduleArgument.InRange(this, nameof(endFactor), endFactor, 0, 1);
        TotalIters = ScheduleArgument.Positive(this, nameof(totalIters), totalIters);
        Start();
    }

    /// <summary>The factor at position 0.</summary>
    public double StartFactor { get; }

    /// <summary>The factor from <see cref="TotalIters"/> on.</summary>
    public double EndFactor { get; }

    /// <summary>The positions the change takes.</summary>
    public int TotalIters { get; }

    /// <inheritdoc/>
    protected override double LearningRateAt(double baseLearningRate, int position) =>
        baseLearningRate * (StartFactor + ((EndFactor - StartFactor) * Math.Min(position, TotalIters) / TotalIters));
}
