namespace NeuralNet.Optimizers.Schedules;

/// <summary>
/// Sets the learning rate of each of an optimizer's parameter groups from a position (a count of <see cref="Step"/> calls: epochs or batches, whichever
/// the caller steps on), as PyTorch's <c>torch.optim.lr_scheduler</c> schedulers do.
/// </summary>
/// <remarks>
/// The rate is a pure function <see cref="LearningRateAt"/> of the base rate and the position, so a schedule's whole
/// state is its position and base rate (<see cref="State"/>), and the same function can serve several base rates.
/// Construction sets the optimizer's rate to the rate at position 0; each <see cref="Step"/> (called after the
/// optimizer's step) moves one position on and sets it again. The schedule owns the optimizer's rate: a value set by
/// hand in between is overwritten at the next step.
/// </remarks>
public abstract class LearningRateSchedule : ISchedule
{
    private const string PositionKey = "position";
    private const string BaseKey = "baseLearningRate";

    private double[] _baseRates;

    // the step as a delegate, made once, for captures
    private Action? _step;

    /// <summary>Binds the schedule to <paramref name="optimizer"/>, taking each group's current learning rate as its base rate.</summary>
    /// <param name="optimizer">The optimizer whose groups' learning rates the schedule sets.</param>
    /// <exception cref="ArgumentNullException"><paramref name="optimizer"/> is null.</exception>
    /// <remarks>Constructors of derived classes call <see cref="Start"/> once their own settings are checked.</remarks>
    protected LearningRateSchedule(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        Optimizer = optimizer;
        _baseRates = [.. optimizer.Groups.Select(group => group.LearningRate)];
    }

    /// <summary>Binds the schedule to <paramref name="optimizer"/> with explicit base rates, one per group (compositions
    /// pass their first part's, since the parts' constructors have already changed the optimizer's rates).</summary>
    /// <param name="optimizer">The optimizer whose groups' learning rates the schedule sets.</param>
    /// <param name="baseLearningRates">The base rates η_base, one per parameter group.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">There is not one base rate per group.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A base rate is negative, NaN or infinite.</exception>
    protected LearningRateSchedule(Optimizer optimizer, IReadOnlyList<double> baseLearningRates)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(baseLearningRates);
        if (baseLearningRates.Count != optimizer.Groups.Count)
        {
            throw new ArgumentException(
                $"{GetType().Name}: {baseLearningRates.Count} base rates for {optimizer.Groups.Count} parameter groups.", nameof(baseLearningRates));
        }

        Optimizer = optimizer;
        _baseRates = [.. baseLearningRates.Select(rate => Hyperparameter.NonNegative(this, nameof(baseLearningRates), rate))];
    }

    /// <summary>The optimizer whose learning rates this schedule sets.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The base rate η_base of the first group (see <see cref="BaseLearningRates"/>).</summary>
    public double BaseLearningRate => _baseRates[0];

    /// <summary>The base rate of each parameter group: its learning rate when the schedule was made, or the one loaded
    /// (PyTorch's <c>base_lrs</c>).</summary>
    public IReadOnlyList<double> BaseLearningRates => _baseRates;

    /// <summary>How many times <see cref="Step"/> has run (PyTorch's <c>last_epoch</c>).</summary>
    public int Position { get; private set; }

    /// <summary>The first group's rate at <see cref="Position"/> (see <see cref="LearningRates"/>).</summary>
    public double LearningRate => LearningRates[0];

    /// <summary>Each group's rate at <see cref="Position"/>, the rates the optimizer now has (PyTorch's <c>get_last_lr()</c>).</summary>
    public IReadOnlyList<double> LearningRates { get; private set; } = [];

    /// <summary>
    /// The position and base rates, for resumable training: <c>position</c> and <c>baseLearningRate.{g}</c> for each
    /// group g. A fresh copy; <see cref="LoadState"/> puts it back.
    /// </summary>
    public IReadOnlyDictionary<string, double> State
    {
        get
        {
            var state = new Dictionary<string, double> { [PositionKey] = Position };
            for (int g = 0; g < _baseRates.Length; g++)
            {
                state[$"{BaseKey}.{g}"] = _baseRates[g];
            }

            return state;
        }
    }

    /// <summary>Moves one position on and sets every group's learning rate to its rate there.</summary>
    /// <exception cref="InvalidOperationException">The schedule has no rate past its end (<see cref="OneCycleLR"/>);
    /// nothing changes.</exception>
    public void Step()
    {
        // A captured step moves the schedule on at every replay.
        if (!CaptureSession.RunRecorded(_step ??= StepNow))
        {
            StepNow();
        }
    }

    private void StepNow()
    {
        int next = checked(Position + 1);
        double[] rates = RatesAt(_baseRates, next);
        Position = next;
        Apply(rates);
    }

    /// <summary>
    /// Continues from a <see cref="State"/> saved earlier (by this schedule or one made with the same settings over as
    /// many groups), and sets each group's learning rate to its rate there, so that the next <see cref="Step"/> gives
    /// what it gave then.
    /// </summary>
    /// <param name="state">A map with exactly the keys <c>position</c> (a whole number ≥ 0) and
    /// <c>baseLearningRate.{g}</c> (finite, ≥ 0) for each group g.</param>
    /// <exception cref="ArgumentNullException"><paramref name="state"/> is null.</exception>
    /// <exception cref="ArgumentException">A key is missing or unknown, or a value is out of range; nothing changes.</exception>
    public void LoadState(IReadOnlyDictionary<string, double> state)
    {
        string[] baseKeys = [.. Enumerable.Range(0, _baseRates.Length).Select(g => $"{BaseKey}.{g}")];
        ScheduleState.RequireKeys(this, state, [PositionKey, .. baseKeys]);
        int position = ScheduleState.Count(this, state, PositionKey);
        double[] baseRates = [.. baseKeys.Select(key => ScheduleState.NonNegative(this, state, key))];
        double[] rates;
        try
        {
            rates = RatesAt(baseRates, position);
        }
        catch (InvalidOperationException e)
        {
            throw new ArgumentException($"{GetType().Name}: state {PositionKey} {position} is out of range: {e.Message}", nameof(state), e);
        }

        _baseRates = baseRates;
        Position = position;
        Apply(rates);
    }

    /// <summary>The learning rate at <paramref name="position"/> for a base rate of <paramref name="baseLearningRate"/>;
    /// depends on nothing else, so that it can be applied to any base rate.</summary>
    /// <param name="baseLearningRate">The base rate η_base (finite, ≥ 0).</param>
    /// <param name="position">The position t ≥ 0.</param>
    /// <returns>A finite rate ≥ 0.</returns>
    /// <exception cref="InvalidOperationException">The schedule has no rate at <paramref name="position"/>.</exception>
    protected abstract double LearningRateAt(double baseLearningRate, int position);

    /// <summary>Sets each group's learning rate to its rate at position 0; derived constructors call it last.</summary>
    protected void Start() => Apply(RatesAt(_baseRates, 0));

    /// <summary>The rate of this schedule as a part of a composition, which supplies its own base rate and position.</summary>
    internal double RateAt(double baseLearningRate, int position) => LearningRateAt(baseLearningRate, position);

    private double[] RatesAt(double[] baseRates, int position) => [.. baseRates.Select(rate => LearningRateAt(rate, position))];

    private void Apply(double[] rates)
    {
        for (int g = 0; g < rates.Length; g++)
        {
            Optimizer.Groups[g].LearningRate = rates[g];
        }

        LearningRates = Array.AsReadOnly(rates);
    }
}
