namespace NeuralNet.Optimizers.Schedules;

/// <summary>
/// The 1cycle policy (PyTorch's <c>OneCycleLR</c>): from maxLr / divFactor up to maxLr over the first
/// pctStart · totalSteps − 1 positions, then down to maxLr / (divFactor · finalDivFactor) at position totalSteps − 1;
/// with <c>threePhase</c>, back down to maxLr / divFactor by 2 · pctStart · totalSteps − 2 first, then to the minimum.
/// </summary>
/// <remarks>
/// Meant to be stepped per batch. It ignores the optimizer's own rate (η_base): the rates come from
/// <see cref="MaxLearningRate"/>. As in PyTorch, positions up to <see cref="TotalSteps"/> have a rate and stepping past
/// it is refused. A phase of zero length, where PyTorch divides by zero, gives the rate at its end. PyTorch's momentum
/// cycling (<c>cycle_momentum</c>) is not done: the optimizers' momentum is fixed at construction.
/// </remarks>
public sealed class OneCycleLR : LearningRateSchedule
{
    private readonly (double End, double StartRate, double EndRate)[] _phases;

    /// <summary>Binds the schedule to <paramref name="optimizer"/> and sets its rate to maxLr / divFactor.</summary>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="maxLearningRate">The peak rate, finite and ≥ 0.</param>
    /// <param name="totalSteps">The positions of the cycle, ≥ 1.</param>
    /// <param name="pctStart">The fraction of the cycle spent rising, in [0, 1]. Default 0.3.</param>
    /// <param name="annealing">Cosine or linear moves between rates. Default cosine.</param>
    /// <param name="divFactor">The initial rate is maxLr / divFactor, divFactor &gt; 0. Default 25.</param>
    /// <param name="finalDivFactor">The final rate is the initial rate / finalDivFactor, finalDivFactor &gt; 0. Default 1e4.</param>
    /// <param name="threePhase">Fall back to the initial rate before annealing to the final one (fast.ai's variant is
    /// the default two phases). Default false.</param>
    /// <exception cref="ArgumentNullException"><paramref name="optimizer"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public OneCycleLR(
        Optimizer optimizer,
        double maxLearningRate,
        int totalSteps,
        double pctStart = 0.3,
        OneCycleAnnealing annealing = OneCycleAnnealing.Cosine,
        double divFactor = 25,
        double finalDivFactor = 1e4,
        bool threePhase = false)
        : base(optimizer)
    {
        MaxLearningRate = ScheduleArgument.NonNegative(this, nameof(maxLearningRate), maxLearningRate);
        TotalSteps = ScheduleArgument.Positive(this, nameof(totalSteps), totalSteps);
        PctStart = ScheduleArgument.InRange(this, nameof(pctStart), pctStart, 0, 1);
        Annealing = Enum.IsDefined(annealing)
            ? annealing
            : throw ScheduleArgument.Refuse(this, nameof(annealing), annealing.ToString(), "is not a OneCycleAnnealing");
        DivFactor = ScheduleArgument.Positive(this, nameof(divFactor), divFactor);
        FinalDivFactor = ScheduleArgument.Positive(this, nameof(finalDivFactor), finalDivFactor);
        ThreePhase = threePhase;

        // PyTorch's phase table: each phase ends at a (fractional) position and moves between two rates
        double initial = maxLearningRate / divFactor;
        double final = initial / finalDivFactor;
        double rising = (pctStart * totalSteps) - 1;
        _phases = threePhase
            ? [(rising, initial, maxLearningRate), ((2 * pctStart * totalSteps) - 2, maxLearningRate, initial), (totalSteps - 1, initial, final)]
            : [(rising, initial, maxLearningRate), (totalSteps - 1, maxLearningRate, final)];
        Start();
    }

    /// <summary>The peak rate.</summary>
    public double MaxLearningRate { get; }

    /// <summary>The positions of the cycle.</summary>
    public int TotalSteps { get; }

    /// <summary>The fraction of the cycle spent rising.</summary>
    public double PctStart { get; }

    /// <summary>Cosine or linear moves between rates.</summary>
    public OneCycleAnnealing Annealing { get; }

    /// <summary>The initial rate is <see cref="MaxLearningRate"/> / <see cref="DivFactor"/>.</summary>
    public double DivFactor { get; }

    /// <summary>The final rate is the initial rate / <see cref="FinalDivFactor"/>.</summary>
    public double FinalDivFactor { get; }

    /// <summary>Whether the rate falls back to the initial rate before the final annealing.</summary>
    public bool ThreePhase { get; }

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException"><paramref name="position"/> is past <see cref="TotalSteps"/>.</exception>
    protected override double LearningRateAt(double baseLearningRate, int position)
    {
        if (position > TotalSteps)
        {
            throw new InvalidOperationException(
                $"OneCycleLR: tried to step {position} times; the cycle has {TotalSteps} total steps.");
        }

        // PyTorch's get_lr: the first phase whose end is at or after the position, else the last one
        double start = 0;
        int phase = 0;
        while (phase < _phases.Length - 1 && position > _phases[phase].End)
        {
            start = _phases[phase].End;
            phase++;
        }

        (double end, double startRate, double endRate) = _phases[phase];
        // at position totalSteps the fraction passes 1; a falling line is stopped at 0, where PyTorch goes negative
        double fraction = end == start ? 1 : (position - start) / (end - start);
        return Annealing == OneCycleAnnealing.Cosine
            ? endRate + ((startRate - endRate) / 2 * (Math.Cos(Math.PI * fraction) + 1))
            : Math.Max(0, ((endRate - startRate) * fraction) + startRate);
    }
}
