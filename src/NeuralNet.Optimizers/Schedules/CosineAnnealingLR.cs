namespace NeuralNet.Optimizers.Schedules;

/// <summary>
/// Anneals the rate along a half cosine from η_base at t = 0 to η_min at t = T_max:
/// η_t = η_min + (η_base − η_min)(1 + cos(π t / T_max)) / 2 (PyTorch's <c>CosineAnnealingLR</c>).
/// </summary>
/// <remarks>
/// This is PyTorch's closed form (its <c>_get_closed_form_lr</c>). PyTorch's <c>step()</c> uses a recursive form
/// instead, which gives the same values on a plain run (nothing else changing the rate) and differs only when another
/// schedule or the user changes the rate in between. Past T_max the cosine carries on, rising back to η_base at
/// 2·T_max, as in both of PyTorch's forms.
/// </remarks>
public sealed class CosineAnnealingLR : LearningRateSchedule
{
    /// <summary>Binds the schedule to <paramref name="optimizer"/> and sets its rate to η_base.</summary>
    /// <param name="optimizer">The optimizer; its current rate is η_base.</param>
    /// <param name="tMax">The positions of the half cosine T_max, ≥ 1.</param>
    /// <param name="etaMin">The rate at T_max, η_min ≥ 0. Default 0.</param>
    /// <exception cref="ArgumentNullException"><paramref name="optimizer"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin = 0)
        : base(optimizer)
    {
        TMax = ScheduleArgument.Positive(this, nameof(tMax), tMax);
        EtaMin = ScheduleArgument.NonNegative(this, nameof(etaMin), etaMin);
        Start();
    }

    /// <summary>The positions of the half cosine T_max.</summary>
    public int TMax { get; }

    /// <summary>The rate at T_max, η_min.</summary>
    public double EtaMin { get; }

    /// <inheritdoc/>
    protected override double LearningRateAt(double baseLearningRate, int position) =>
        Cosine.Anneal(baseLearningRate, EtaMin, position, TMax);
}
