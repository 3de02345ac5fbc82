namespace NeuralNet.Optimizers;

/// <summary>
/// A set of parameters that an optimizer updates with its own learning rate and, optionally, its own weight decay
/// (PyTorch's <c>param_groups</c>): the usual use is no weight decay on biases and normalisation layers.
/// </summary>
/// <remarks>A hyper-parameter left null takes the optimizer's value when the group joins the optimizer.</remarks>
public sealed class ParameterGroup
{
    private double _learningRate;

    /// <summary>Creates a group of <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The parameters of the group.</param>
    /// <param name="learningRate">The group's step size η ≥ 0, or null for the optimizer's.</param>
    /// <param name="weightDecay">The group's weight decay λ ≥ 0, or null for the optimizer's.</param>
    /// <exception cref="ArgumentNullException"><paramref name="parameters"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A hyper-parameter is negative, NaN or infinite.</exception>
    public ParameterGroup(IEnumerable<Parameter> parameters, double? learningRate = null, double? weightDecay = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = Array.AsReadOnly([.. parameters]);
        RequestedLearningRate = learningRate is { } rate ? Hyperparameter.NonNegative(this, nameof(learningRate), rate) : null;
        WeightDecay = weightDecay is { } decay ? Hyperparameter.NonNegative(this, nameof(weightDecay), decay) : null;
    }

    /// <summary>The parameters of this group.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>The group's step size η. Settable between steps, so that a schedule can change it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, NaN or infinite.</exception>
    public double LearningRate
    {
        get => _learningRate;
        set => _learningRate = Hyperparameter.NonNegative(this, nameof(LearningRate), value);
    }

    /// <summary>The group's weight decay λ, or null when the group uses the optimizer's.</summary>
    /// <remarks><see cref="Optimizer.LoadStateDict"/> sets it when the loaded λ differs from the one in force.</remarks>
    public double? WeightDecay { get; internal set; }

    /// <summary>The learning rate asked for at construction; null when the group takes the optimizer's.</summary>
    internal double? RequestedLearningRate { get; }

    /// <summary>Shows the group's size and hyper-parameters.</summary>
    public override string ToString() =>
        $"ParameterGroup({Parameters.Count} parameters, learningRate: {Hyperparameter.Format(LearningRate)}"
        + (WeightDecay is { } decay ? $", weightDecay: {Hyperparameter.Format(decay)}" : string.Empty) + ")";
}
