namespace NeuralNet.Optimizers.Schedules;

/// <summary>
/// Sets an optimizer's learning rate from a position (a count of <see cref="Step"/> calls: epochs or batches, whichever
/// the caller steps on), as PyTorch's <c>torch.optim.lr_scheduler</c> schedulers do.
/// </summary>
/// <remarks>
/// The rate is a pure function <see cref="LearningRateAt"/> of the base rate and the position, so a schedule's whole
/// state is its position and base rate (<see cref="State"/>), and the same function can serve several base rates.
/// Construction sets the optimizer's rate to the rate at position 0; each <see cref="Step"/> (called after the
/// optimizer's step) moves one position on and sets it again. The schedule owns the optimizer's rate: a value set by
/// hand in between is overwritten at the next step.
/// </remarks>
public abstract class LearningRateSchedule
{
    private const string PositionKey = "position";
    private const string BaseKey = "baseLearningRate";

    /// <summary>Binds the schedule to <paramref name="optimizer"/>, taking its current learning rate as the base rate.</summary>
    /// <param name="optimizer">The optimizer whose <see cref="Optimizer.LearningRate"/> the schedule sets.</param>
    /// <exception cref="ArgumentNullException"><paramref name="optimizer"/> is null.</exception>
    /// <remarks>Constructors of derived classes call <see cref="Start"/> once their own settings are checked.</remarks>
    protected LearningRateSchedule(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        Optimizer = optimizer;
        BaseLearningRate = optimizer.LearningRate;
    }

    /// <summary>Binds the schedule to <paramref name="optimizer"/> with an explicit base rate (compositions pass their
    /// first part's, since the parts' constructors have already changed the optimizer's rate).</summary>
    /// <param name="optimizer">The optimizer whose <see cref="Optimizer.LearningRate"/> the schedule sets.</param>
    /// <param name="baseLearningRate">The base rate η_base.</param>
    /// <exception cref="ArgumentNullException"><paramref name="optimizer"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="baseLearningRate"/> is negative, NaN or infinite.</exception>
    protected LearningRateSchedule(Optimizer optimizer, double baseLearningRate)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        Optimizer = optimizer;
        BaseLearningRate = Hyperparameter.NonNegative(this, nameof(baseLearningRate), baseLearningRate);
    }

    /// <summary>The optimizer whose learning rate this schedule sets.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The base rate η_base: the optimizer's learning rate when the schedule was made (or the one loaded).</summary>
    public double BaseLearningRate { get; private set; }

    /// <summary>How many times <see cref="Step"/> has run (PyTorch's <c>last_epoch</c>).</summary>
    public int Position { get; private set; }

    /// <summary>The rate at <see cref="Position"/>, the one the optimizer now has (PyTorch's <c>get_last_lr()</c>).</summary>
    public double LearningRate { get; private set; }

    /// <summary>
    /// The position and base rate, for resumable training: <c>position</c> and <c>baseLearningRate</c>. A fresh copy;
    /// <see cref="LoadState"/> puts it back.
    /// </summary>
    public IReadOnlyDictionary<string, double> State =>
        new Dictionary<string, double> { [PositionKey] = Position, [BaseKey] = BaseLearningRate };

    /// <summary>Moves one position on and sets the optimizer's learning rate to the rate there.</summary>
    /// <exception cref="InvalidOperationException">The schedule has no rate past its end (<see cref="OneCycleLR"/>);
    /// nothing changes.</exception>
    public void Step()
    {
        int next = checked(Position + 1);
        double rate = LearningRateAt(BaseLearningRate, next);
        Position = next;
        Apply(rate);
    }

    /// <summary>
    /// Continues from a <see cref="State"/> saved earlier (by this schedule or one made with the same settings), and sets
    /// the optimizer's learning rate to the rate there, so that the next <see cref="Step"/> gives what it gave then.
    /// </summary>
    /// <param name="state">A map with exactly the keys <c>position</c> (a whole number ≥ 0) and <c>baseLearningRate</c>
    /// (finite, ≥ 0).</param>
    /// <exception cref="ArgumentNullException"><paramref name="state"/> is null.</exception>
    /// <exception cref="ArgumentException">A key is missing or unknown, or a value is out of range; nothing changes.</exception>
    public void LoadState(IReadOnlyDictionary<string, double> state)
    {
        ScheduleState.RequireKeys(this, state, PositionKey, BaseKey);
        int position = ScheduleState.Count(this, state, PositionKey);
        double baseRate = ScheduleState.NonNegative(this, state, BaseKey);
        double rate;
        try
        {
            rate = LearningRateAt(baseRate, position);
        }
        catch (InvalidOperationException e)
        {
            throw new ArgumentException($"{GetType().Name}: state {PositionKey} {position} is out of range: {e.Message}", nameof(state), e);
        }

        BaseLearningRate = baseRate;
        Position = position;
        Apply(rate);
    }

    /// <summary>The learning rate at <paramref name="position"/> for a base rate of <paramref name="baseLearningRate"/>;
    /// depends on nothing else, so that it can be applied to any base rate.</summary>
    /// <param name="baseLearningRate">The base rate η_base (finite, ≥ 0).</param>
    /// <param name="position">The position t ≥ 0.</param>
    /// <returns>A finite rate ≥ 0.</returns>
    /// <exception cref="InvalidOperationException">The schedule has no rate at <paramref name="position"/>.</exception>
    protected abstract double LearningRateAt(double baseLearningRate, int position);

    /// <summary>Sets the optimizer's learning rate to the rate at position 0; derived constructors call it last.</summary>
    protected void Start() => Apply(LearningRateAt(BaseLearningRate, 0));

    /// <summary>The rate of this schedule as a part of a composition, which supplies its own base rate and position.</summary>
    internal double RateAt(double baseLearningRate, int position) => LearningRateAt(baseLearningRate, position);

    private void Apply(double rate)
    {
        Optimizer.LearningRate = rate;
        LearningRate = rate;
    }
}
