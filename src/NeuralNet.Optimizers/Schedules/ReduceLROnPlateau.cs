namespace NeuralNet.Optimizers.Schedules;

/// <summary>
/// Multiplies the rate by <c>factor</c> (not below <c>minLr</c>) when a metric has not improved for more than
/// <c>patience</c> steps, then waits <c>cooldown</c> steps before counting again (PyTorch's <c>ReduceLROnPlateau</c>).
/// Fed a metric per step, typically the validation loss after each epoch.
/// </summary>
/// <remarks>
/// Unlike the other schedules the rate depends on the metrics seen, not on the position alone; after k reductions it is
/// η_base reduced k times by η ← max(η · factor, minLr), a reduction of no more than <c>eps</c> being skipped, as in
/// PyTorch. A NaN metric counts as no improvement (PyTorch's comparisons are false for it). The schedule owns the
/// optimizer's rate: a value set by hand in between is overwritten at the next reduction.
/// </remarks>
public sealed class ReduceLROnPlateau : ISchedule
{
    private const string PositionKey = "position";
    private const string BaseKey = "baseLearningRate";
    private const string BestKey = "best";
    private const string BadKey = "badSteps";
    private const string CooldownKey = "cooldownCounter";
    private const string ReductionsKey = "reductions";

    private double[] _baseRates;

    /// <summary>Binds the schedule to <paramref name="optimizer"/>, whose current rate is η_base; the rate is unchanged until
    /// the first reduction.</summary>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="mode">Whether the metric should fall (a loss) or rise. Default <see cref="PlateauMode.Min"/>.</param>
    /// <param name="factor">The reduction factor, in [0, 1). Default 0.1.</param>
    /// <param name="patience">Steps without improvement tolerated; the next one reduces, ≥ 0. Default 10.</param>
    /// <param name="threshold">The least improvement that counts, ≥ 0. Default 1e-4.</param>
    /// <param name="thresholdMode">Relative or absolute improvement. Default relative.</param>
    /// <param name="cooldown">Steps after a reduction during which bad steps are not counted, ≥ 0. Default 0.</param>
    /// <param name="minLearningRate">The rate is never reduced below this, ≥ 0. Default 0.</param>
    /// <param name="eps">A reduction of no more than this is skipped, ≥ 0. Default 1e-8.</param>
    /// <exception cref="ArgumentNullException"><paramref name="optimizer"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public ReduceLROnPlateau(
        Optimizer optimizer,
        PlateauMode mode = PlateauMode.Min,
        double factor = 0.1,
        int patience = 10,
        double threshold = 1e-4,
        ThresholdMode thresholdMode = ThresholdMode.Relative,
        int cooldown = 0,
        double minLearningRate = 0,
        double eps = 1e-8)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        Mode = Enum.IsDefined(mode) ? mode : throw ScheduleArgument.Refuse(this, nameof(mode), mode.ToString(), "is not a PlateauMode");
        Factor = ScheduleArgument.InRange(this, nameof(factor), factor, 0, 1, highOpen: true);
        Patience = ScheduleArgument.NonNegative(this, nameof(patience), patience);
        Threshold = ScheduleArgument.NonNegative(this, nameof(threshold), threshold);
        ThresholdMode = Enum.IsDefined(thresholdMode)
            ? thresholdMode
            : throw ScheduleArgument.Refuse(this, nameof(thresholdMode), thresholdMode.ToString(), "is not a ThresholdMode");
        Cooldown = ScheduleArgument.NonNegative(this, nameof(cooldown), cooldown);
        MinLearningRate = ScheduleArgument.NonNegative(this, nameof(minLearningRate), minLearningRate);
        Eps = ScheduleArgument.NonNegative(this, nameof(eps), eps);
        Optimizer = optimizer;
        _baseRates = [.. optimizer.Groups.Select(group => group.LearningRate)];
        LearningRates = Array.AsReadOnly((double[])_baseRates.Clone());
        Best = WorstMetric;
    }

    /// <summary>The optimizer whose learning rate this schedule sets.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>Whether the metric should fall or rise.</summary>
    public PlateauMode Mode { get; }

    /// <summary>The reduction factor.</summary>
    public double Factor { get; }

    /// <summary>Steps without improvement tolerated.</summary>
    public int Patience { get; }

    /// <summary>The least improvement that counts.</summary>
    public double Threshold { get; }

    /// <summary>Relative or absolute improvement.</summary>
    public ThresholdMode ThresholdMode { get; }

    /// <summary>Steps after a reduction during which bad steps are not counted.</summary>
    public int Cooldown { get; }

    /// <summary>The floor of the rate.</summary>
    public double MinLearningRate { get; }

    /// <summary>A reduction of no more than this is skipped.</summary>
    public double Eps { get; }

    /// <summary>The first group's base rate (see <see cref="BaseLearningRates"/>).</summary>
    public double BaseLearningRate => _baseRates[0];

    /// <summary>Each parameter group's base rate: its learning rate when the schedule was made (or the one loaded).</summary>
    public IReadOnlyList<double> BaseLearningRates => _baseRates;

    /// <summary>The first group's current rate (see <see cref="LearningRates"/>).</summary>
    public double LearningRate => LearningRates[0];

    /// <summary>Each group's current rate, the ones the optimizer has after the last step.</summary>
    public IReadOnlyList<double> LearningRates { get; private set; }

    /// <summary>How many metrics <see cref="Step"/> has been fed (PyTorch's <c>last_epoch</c>).</summary>
    public int Position { get; private set; }

    /// <summary>The best metric so far (+∞ in min mode, −∞ in max mode before the first).</summary>
    public double Best { get; private set; }

    /// <summary>Consecutive steps without improvement, outside cooldown (PyTorch's <c>num_bad_epochs</c>).</summary>
    public int BadSteps { get; private set; }

    /// <summary>Steps of cooldown left.</summary>
    public int CooldownCounter { get; private set; }

    /// <summary>How many times the rate has been reduced (including reductions that the floor or eps made no-ops).</summary>
    public int Reductions { get; private set; }

    /// <summary>
    /// The state, for resumable training: <c>position</c>, <c>baseLearningRate.{g}</c> for each group g, <c>best</c>,
    /// <c>badSteps</c>, <c>cooldownCounter</c> and <c>reductions</c>. A fresh copy; <see cref="LoadState"/> puts it back.
    /// </summary>
    public IReadOnlyDictionary<string, double> State
    {
        get
        {
            var state = new Dictionary<string, double>
            {
                [PositionKey] = Position,
                [BestKey] = Best,
                [BadKey] = BadSteps,
                [CooldownKey] = CooldownCounter,
                [ReductionsKey] = Reductions,
            };
            for (int g = 0; g < _baseRates.Length; g++)
            {
                state[BaseKeys[g]] = _baseRates[g];
            }

            return state;
        }
    }

    private string[] BaseKeys => [.. Enumerable.Range(0, _baseRates.Length).Select(g => $"{BaseKey}.{g}")];

    private double WorstMetric => Mode == PlateauMode.Min ? double.PositiveInfinity : double.NegativeInfinity;

    /// <summary>Takes one metric (after an epoch, say) and reduces the rate if it has stalled for more than
    /// <see cref="Patience"/> steps.</summary>
    /// <param name="metric">The metric, e.g. the validation loss.</param>
    public void Step(double metric)
    {
        CaptureSession.Refuse($"{nameof(ReduceLROnPlateau)}.Step takes a metric computed on the host");
        // PyTorch's step(metrics), line by line
        Position = checked(Position + 1);
        if (IsBetter(metric))
        {
            Best = metric;
            BadSteps = 0;
        }
        else
        {
            BadSteps++;
        }

        if (CooldownCounter > 0)
        {
            CooldownCounter--;
            BadSteps = 0;
        }

        if (BadSteps > Patience)
        {
            Reductions++;
            Apply();
            CooldownCounter = Cooldown;
            BadSteps = 0;
        }
    }

    /// <summary>The rate after <paramref name="reductions"/> reductions from <paramref name="baseLearningRate"/>; depends on
    /// nothing else, so that it can be applied to any base rate.</summary>
    /// <param name="baseLearningRate">The base rate (finite, ≥ 0).</param>
    /// <param name="reductions">The number of reductions, ≥ 0.</param>
    /// <returns>The rate.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="reductions"/> is negative.</exception>
    public double LearningRateAfter(double baseLearningRate, int reductions)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(reductions);

        // PyTorch's _reduce_lr, repeated; once a reduction is skipped every later one is too
        double rate = baseLearningRate;
        for (int i = 0; i < reductions; i++)
        {
            double reduced = Math.Max(rate * Factor, MinLearningRate);
            if (rate - reduced <= Eps)
            {
                break;
            }

            rate = reduced;
        }

        return rate;
    }

    /// <summary>
    /// Continues from a <see cref="State"/> saved earlier by a schedule with the same settings, and sets the optimizer's
    /// rate to the rate there, so that the next <see cref="Step"/> gives what it gave then.
    /// </summary>
    /// <param name="state">A map with exactly the keys of <see cref="State"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="state"/> is null.</exception>
    /// <exception cref="ArgumentException">A key is missing or unknown, or a value is out of range; nothing changes.</exception>
    public void LoadState(IReadOnlyDictionary<string, double> state)
    {
        string[] baseKeys = BaseKeys;
        ScheduleState.RequireKeys(this, state, [PositionKey, BestKey, BadKey, CooldownKey, ReductionsKey, .. baseKeys]);
        int position = ScheduleState.Count(this, state, PositionKey);
        double[] baseRates = [.. baseKeys.Select(key => ScheduleState.NonNegative(this, state, key))];
        double best = state[BestKey];
        if (double.IsNaN(best))
        {
            throw new ArgumentException("ReduceLROnPlateau: state best NaN must be a number.", nameof(state));
        }

        int bad = ScheduleState.Count(this, state, BadKey);
        int cooldown = ScheduleState.Count(this, state, CooldownKey);
        int reductions = ScheduleState.Count(this, state, ReductionsKey);
        Position = position;
        _baseRates = baseRates;
        Best = best;
        BadSteps = bad;
        CooldownCounter = cooldown;
        Reductions = reductions;
        Apply();
    }

    // Every group's rate after Reductions reductions from its own base rate.
    private void Apply()
    {
        double[] rates = [.. _baseRates.Select(rate => LearningRateAfter(rate, Reductions))];
        for (int g = 0; g < rates.Length; g++)
        {
            Optimizer.Groups[g].LearningRate = rates[g];
        }

        LearningRates = Array.AsReadOnly(rates);
    }

    private bool IsBetter(double metric) => (Mode, ThresholdMode) switch
    {
        (PlateauMode.Min, ThresholdMode.Relative) => metric < Best * (1 - Threshold),
        (PlateauMode.Min, ThresholdMode.Absolute) => metric < Best - Threshold,
        (PlateauMode.Max, ThresholdMode.Relative) => metric > Best * (Threshold + 1),
        _ => metric > Best + Threshold,
    };
}
