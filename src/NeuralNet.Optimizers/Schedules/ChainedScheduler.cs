namespace NeuralNet.Optimizers.Schedules;

/// <summary>
/// Applies schedules together, each to the rate the one before it gives: η_t = f_n(… f_2(f_1(η_base, t), t) …, t)
/// (PyTorch's <c>ChainedScheduler</c>). For multiplicative schedules (<see cref="StepLR"/>, <see cref="MultiStepLR"/>,
/// <see cref="ExponentialLR"/>, <see cref="LinearLR"/>) that is η_base times the product of their factors, PyTorch's value.
/// </summary>
/// <remarks>
/// The parts are bound to the same optimizer and are not stepped themselves: this schedule evaluates them. Their
/// constructors each set the optimizer's rate, so the base rate is the first part's (construct the parts in order, the
/// first one first). For parts that are not multiplicative (the cosine ones, <see cref="OneCycleLR"/>) PyTorch's
/// result depends on its recursive forms; this one is the composition above.
/// </remarks>
public sealed class ChainedScheduler : LearningRateSchedule
{
    private readonly LearningRateSchedule[] _schedules;

    /// <summary>Chains <paramref name="schedules"/> and sets the optimizer's rate to the chain's at position 0.</summary>
    /// <param name="optimizer">The optimizer every part is bound to.</param>
    /// <param name="schedules">The parts, applied in order.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">No parts, a null one, or one bound to another optimizer.</exception>
    public ChainedScheduler(Optimizer optimizer, IEnumerable<LearningRateSchedule> schedules)
        : this(optimizer, Composition.Parts(nameof(ChainedScheduler), optimizer, schedules))
    {
    }

    private ChainedScheduler(Optimizer optimizer, LearningRateSchedule[] schedules)
        : base(optimizer, schedules[0].BaseLearningRates)
    {
        _schedules = schedules;
        Schedules = Array.AsReadOnly(_schedules);
        Start();
    }

    /// <summary>The parts, in the order they are applied.</summary>
    public IReadOnlyList<LearningRateSchedule> Schedules { get; }

    /// <inheritdoc/>
    protected override double LearningRateAt(double baseLearningRate, int position)
    {
        double rate = baseLearningRate;
        foreach (LearningRateSchedule schedule in _schedules)
        {
            rate = schedule.RateAt(rate, position);
        }

        return rate;
    }
}
