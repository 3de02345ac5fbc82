namespace NeuralNet.Optimizers;

/// <summary>
/// Updates parameters from their accumulated gradients (<see cref="Parameter.Grad"/>), keeping its own state per
/// parameter. Optimizers know nothing of layers: any parameters will do.
/// </summary>
/// <remarks>
/// <see cref="Step"/> checks every gradient first, then updates each parameter that has one, in place, through its
/// <see cref="Parameter.AsSpan{T}"/> view; a parameter whose <see cref="Parameter.Grad"/> is null is left untouched and its
/// state is neither created nor advanced. The update writes spans directly and records nothing on any tape. Optimizers
/// are not thread-safe.
/// </remarks>
public abstract class Optimizer
{
    private readonly Parameter[] _parameters;
    private double _learningRate;

    /// <summary>Creates an optimizer over <paramref name="parameters"/> with step size <paramref name="learningRate"/>.</summary>
    /// <exception cref="ArgumentException">No parameters, a null one, or one of them twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="learningRate"/> is negative, NaN or infinite.</exception>
    protected Optimizer(IEnumerable<Parameter> parameters, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _learningRate = Hyperparameter.NonNegative(this, nameof(learningRate), learningRate);
        _parameters = [.. parameters];
        Parameters = Array.AsReadOnly(_parameters);
        if (_parameters.Length == 0)
        {
            throw new ArgumentException($"{GetType().Name}: no parameters to optimize.", nameof(parameters));
        }

        int missing = Array.IndexOf(_parameters, null);
        if (missing >= 0)
        {
            throw new ArgumentException($"{GetType().Name}: parameter {missing} is null.", nameof(parameters));
        }

        if (_parameters.Distinct(ReferenceEqualityComparer.Instance).Count() != _parameters.Length)
        {
            throw new ArgumentException($"{GetType().Name}: a parameter is listed twice.", nameof(parameters));
        }
    }

    /// <summary>The parameters this optimizer updates.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>The step size η. Settable between steps, so that a schedule can change it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, NaN or infinite.</exception>
    public double LearningRate
    {
        get => _learningRate;
        set => _learningRate = Hyperparameter.NonNegative(this, nameof(LearningRate), value);
    }

    /// <summary>How many times <see cref="Step"/> has run.</summary>
    public long StepCount { get; private set; }

    /// <summary>Updates every parameter that has a gradient, in place; parameters whose gradient is null are skipped.</summary>
    /// <exception cref="InvalidOperationException">A gradient's shape or dtype differs from its parameter's; nothing is
    /// updated.</exception>
    /// <remarks>Once every parameter's state exists, a step allocates nothing on the GC heap.</remarks>
    public void Step()
    {
        // arrays, not the interface, so that the loops allocate no enumerator
        foreach (Parameter parameter in _parameters)
        {
            if (parameter.Grad is { } gradient && (gradient.Shape != parameter.Shape || gradient.DType != parameter.DType))
            {
                throw new InvalidOperationException(
                    $"{GetType().Name}: the gradient of {parameter} is {gradient.Shape} {gradient.DType}; it must match the parameter.");
            }
        }

        foreach (Parameter parameter in _parameters)
        {
            if (parameter.Grad is { } gradient)
            {
                Update(parameter, gradient);
            }
        }

        StepCount++;
    }

    /// <summary>Clears the gradient of every parameter.</summary>
    public void ZeroGrad()
    {
        foreach (Parameter parameter in _parameters)
        {
            parameter.ZeroGrad();
        }
    }

    /// <summary>Updates one parameter in place from its gradient, which has the parameter's shape and dtype.</summary>
    /// <param name="parameter">The parameter to update.</param>
    /// <param name="gradient">Its gradient (never null).</param>
    protected abstract void Update(Parameter parameter, Tensor gradient);
}
