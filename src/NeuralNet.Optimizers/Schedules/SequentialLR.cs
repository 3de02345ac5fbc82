namespace NeuralNet.Optimizers.Schedules;

/// <summary>
/// Runs schedules one after another, switching at milestones, each started afresh from its position 0 (PyTorch's
/// <c>SequentialLR</c>): between milestones m_(k−1) and m_k the rate is schedule k's at t − m_(k−1). Warm-up then
/// cosine is <c>new SequentialLR(optimizer, [warmUp, cosine], [warmUpSteps])</c>.
/// </summary>
/// <remarks>
/// The parts are bound to the same optimizer and are not stepped themselves: this schedule evaluates them. Their
/// constructors each set the optimizer's rate, so the base rate is the first part's (construct the parts in order, the
/// first one first).
/// </remarks>
public sealed class SequentialLR : LearningRateSchedule
{
    private readonly LearningRateSchedule[] _schedules;
    private readonly int[] _milestones;

    /// <summary>Composes <paramref name="schedules"/> and sets the optimizer's rate to the first one's at position 0.</summary>
    /// <param name="optimizer">The optimizer every part is bound to.</param>
    /// <param name="schedules">The parts, in order.</param>
    /// <param name="milestones">The positions where each next part begins: one fewer than the parts, strictly
    /// increasing, each ≥ 1.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">No parts, a null one, one bound to another optimizer, or the wrong number
    /// of milestones.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A milestone is below 1 or not above the one before.</exception>
    public SequentialLR(Optimizer optimizer, IEnumerable<LearningRateSchedule> schedules, IEnumerable<int> milestones)
        : this(optimizer, Composition.Parts(nameof(SequentialLR), optimizer, schedules), milestones)
    {
    }

    private SequentialLR(Optimizer optimizer, LearningRateSchedule[] schedules, IEnumerable<int> milestones)
        : base(optimizer, schedules[0].BaseLearningRates)
    {
        ArgumentNullException.ThrowIfNull(milestones);
        _schedules = schedules;
        _milestones = [.. milestones];
        if (_milestones.Length != _schedules.Length - 1)
        {
            throw new ArgumentException(
                $"SequentialLR: {_schedules.Length} schedules need {_schedules.Length - 1} milestones, not {_milestones.Length}.",
                nameof(milestones));
        }

        for (int i = 0; i < _milestones.Length; i++)
        {
            int floor = i == 0 ? 1 : _milestones[i - 1] + 1;
            if (_milestones[i] < floor)
            {
                throw ScheduleArgument.Refuse(
                    this, nameof(milestones), _milestones[i].ToString(System.Globalization.CultureInfo.InvariantCulture),
                    $"must be at least {floor} (milestones are ≥ 1 and strictly increasing)");
            }
        }

        Schedules = Array.AsReadOnly(_schedules);
        Milestones = Array.AsReadOnly(_milestones);
        Start();
    }

    /// <summary>The parts, in order.</summary>
    public IReadOnlyList<LearningRateSchedule> Schedules { get; }

    /// <summary>The positions where each next part begins.</summary>
    public IReadOnlyList<int> Milestones { get; }

    /// <inheritdoc/>
    protected override double LearningRateAt(double baseLearningRate, int position)
    {
        int part = Milestone.CountAtOrBelow(_milestones, position);
        int begins = part == 0 ? 0 : _milestones[part - 1];
        return _schedules[part].RateAt(baseLearningRate, position - begins);
    }
}
