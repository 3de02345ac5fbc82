namespace NeuralNet.Optimizers.Schedules;

/// <summary>Multiplies the rate by γ every position: η_t = η_base · γ^t (PyTorch's <c>ExponentialLR</c>).</summary>
public sealed class ExponentialLR : LearningRateSchedule
{
    /// <summary>Binds the schedule to <paramref name="optimizer"/> and sets its rate to η_base.</summary>
    /// <param name="optimizer">The optimizer; its current rate is η_base.</param>
    /// <param name="gamma">The decay factor γ &gt; 0.</param>
    /// <exception cref="ArgumentNullException"><paramref name="optimizer"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="gamma"/> is out of range.</exception>
    public ExponentialLR(Optimizer optimizer, double gamma)
        : base(optimizer)
    {
        Gamma = ScheduleArgument.Positive(this, nameof(gamma), gamma);
        Start();
    }

    /// <summary>The decay factor γ.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    protected override double LearningRateAt(double baseLearningRate, int position) =>
        baseLearningRate * Math.Pow(Gamma, position);
}
