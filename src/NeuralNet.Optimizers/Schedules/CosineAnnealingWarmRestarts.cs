namespace NeuralNet.Optimizers.Schedules;

/// <summary>
/// Cosine annealing that restarts at η_base: the first period lasts T_0 positions and each next one T_mult times the
/// last; within a period of length T_i, η_t = η_min + (η_base − η_min)(1 + cos(π T_cur / T_i)) / 2 where T_cur counts
/// the positions since the last restart (SGDR; PyTorch's <c>CosineAnnealingWarmRestarts</c>).
/// </summary>
public sealed class CosineAnnealingWarmRestarts : LearningRateSchedule
{
    /// <summary>Binds the schedule to <paramref name="optimizer"/> and sets its rate to η_base.</summary>
    /// <param name="optimizer">The optimizer; its current rate is η_base.</param>
    /// <param name="t0">The length of the first period T_0, ≥ 1.</param>
    /// <param name="tMult">The growth of each period over the last, T_mult ≥ 1. Default 1.</param>
    /// <param name="etaMin">The rate the cosine tends to, η_min ≥ 0. Default 0.</param>
    /// <exception cref="ArgumentNullException"><paramref name="optimizer"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public CosineAnnealingWarmRestarts(Optimizer optimizer, int t0, int tMult = 1, double etaMin = 0)
        : base(optimizer)
    {
        T0 = ScheduleArgument.Positive(this, nameof(t0), t0);
        TMult = ScheduleArgument.Positive(this, nameof(tMult), tMult);
        EtaMin = ScheduleArgument.NonNegative(this, nameof(etaMin), etaMin);
        Start();
    }

    /// <summary>The length of the first period T_0.</summary>
    public int T0 { get; }

    /// <summary>The growth of each period over the last, T_mult.</summary>
    public int TMult { get; }

    /// <summary>The rate the cosine tends to, η_min.</summary>
    public double EtaMin { get; }

    /// <inheritdoc/>
    protected override double LearningRateAt(double baseLearningRate, int position)
    {
        // whole periods are walked off one by one (a handful when T_mult > 1), exact where PyTorch's log is not
        long sinceRestart = position;
        long period = T0;
        while (sinceRestart >= period)
        {
            sinceRestart -= period;
            period *= TMult;
        }

        return Cosine.Anneal(baseLearningRate, EtaMin, sinceRestart, period);
    }
}
