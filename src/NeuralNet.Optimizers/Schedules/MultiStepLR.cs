namespace NeuralNet.Optimizers.Schedules;

/// <summary>
/// Multiplies the rate by γ at each milestone: η_t = η_base · γ^(number of milestones ≤ t) (PyTorch's
/// <c>MultiStepLR</c>; a milestone listed twice decays twice, as there).
/// </summary>
public sealed class MultiStepLR : LearningRateSchedule
{
    private readonly int[] _milestones;

    /// <summary>Binds the schedule to <paramref name="optimizer"/> and sets its rate to the rate at position 0.</summary>
    /// <param name="optimizer">The optimizer; its current rate is η_base.</param>
    /// <param name="milestones">The positions where the rate decays, each ≥ 0, in any order.</param>
    /// <param name="gamma">The decay factor γ &gt; 0. Default 0.1.</param>
    /// <exception cref="ArgumentNullException"><paramref name="optimizer"/> or <paramref name="milestones"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A milestone is negative, or <paramref name="gamma"/> is out of range.</exception>
    public MultiStepLR(Optimizer optimizer, IEnumerable<int> milestones, double gamma = 0.1)
        : base(optimizer)
    {
        ArgumentNullException.ThrowIfNull(milestones);
        _milestones = [.. milestones];
        foreach (int milestone in _milestones)
        {
            ScheduleArgument.NonNegative(this, nameof(milestones), milestone);
        }

        // sorted, so that the count of milestones ≤ t is a binary search (PyTorch's bisect_right)
        Array.Sort(_milestones);
        Milestones = Array.AsReadOnly(_milestones);
        Gamma = ScheduleArgument.Positive(this, nameof(gamma), gamma);
        Start();
    }

    /// <summary>The milestones, sorted.</summary>
    public IReadOnlyList<int> Milestones { get; }

    /// <summary>The decay factor γ.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    protected override double LearningRateAt(double baseLearningRate, int position) =>
        baseLearningRate * Math.Pow(Gamma, Milestone.CountAtOrBelow(_milestones, position));
}
