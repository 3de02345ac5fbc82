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
public abstract partial class Optimizer
{
    private readonly Parameter[] _parameters;
    private readonly ParameterGroup[] _groups;

    // the group of each parameter, in the order of _parameters
    private readonly ParameterGroup[] _groupOf;

    // the step as a delegate, made once, for captures
    private Action? _step;

    /// <summary>Creates an optimizer over <paramref name="parameters"/> with step size <paramref name="learningRate"/>.</summary>
    /// <exception cref="ArgumentException">No parameters, a null one, or one of them twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="learningRate"/> is negative, NaN or infinite.</exception>
    protected Optimizer(IEnumerable<Parameter> parameters, double learningRate)
        : this([new ParameterGroup(parameters ?? throw new ArgumentNullException(nameof(parameters)))], learningRate)
    {
    }

    /// <summary>
    /// Creates an optimizer over parameter <paramref name="groups"/>; a group without its own learning rate gets
    /// <paramref name="learningRate"/>.
    /// </summary>
    /// <exception cref="ArgumentException">No groups, a null group, no parameters, a null one, or one of them twice (in one
    /// group or across groups).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="learningRate"/> is negative, NaN or infinite.</exception>
    protected Optimizer(IEnumerable<ParameterGroup> groups, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(groups);
        Hyperparameter.NonNegative(this, nameof(learningRate), learningRate);
        _groups = [.. groups];
        int nullGroup = Array.IndexOf(_groups, null);
        if (_groups.Length == 0 || nullGroup >= 0)
        {
            throw new ArgumentException(
                _groups.Length == 0 ? $"{GetType().Name}: no parameter groups." : $"{GetType().Name}: group {nullGroup} is null.",
                nameof(groups));
        }

        foreach (ParameterGroup group in _groups)
        {
            group.LearningRate = group.RequestedLearningRate ?? learningRate;
        }

        _parameters = [.. _groups.SelectMany(group => group.Parameters)];
        _groupOf = [.. _groups.SelectMany(group => group.Parameters.Select(_ => group))];
        Parameters = Array.AsReadOnly(_parameters);
        Groups = Array.AsReadOnly(_groups);
        if (_parameters.Length == 0)
        {
            throw new ArgumentException($"{GetType().Name}: no parameters to optimize.", nameof(groups));
        }

        int emptyGroup = Array.FindIndex(_groups, group => group.Parameters.Count == 0);
        if (emptyGroup >= 0)
        {
            throw new ArgumentException($"{GetType().Name}: group {emptyGroup} has no parameters.", nameof(groups));
        }

        int missing = Array.IndexOf(_parameters, null);
        if (missing >= 0)
        {
            throw new ArgumentException($"{GetType().Name}: parameter {missing} is null.", nameof(groups));
        }

        var firstIndex = new Dictionary<Parameter, int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < _parameters.Length; i++)
        {
            if (!firstIndex.TryAdd(_parameters[i], i))
            {
                int first = firstIndex[_parameters[i]];
                throw new ArgumentException(
                    $"{GetType().Name}: {_parameters[i]} is listed twice, as parameter {first} (group {Array.IndexOf(_groups, _groupOf[first])}) "
                    + $"and parameter {i} (group {Array.IndexOf(_groups, _groupOf[i])}).",
                    nameof(groups));
            }
        }
    }

    /// <summary>The parameters this optimizer updates.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>The parameter groups, each with its own learning rate; one group when made from a list of parameters.</summary>
    public IReadOnlyList<ParameterGroup> Groups { get; }

    /// <summary>
    /// The step size η of the first group; setting it sets every group's (give each group its rate through
    /// <see cref="Groups"/> to keep them apart). Settable between steps, so that a schedule can change it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, NaN or infinite.</exception>
    public double LearningRate
    {
        get => _groups[0].LearningRate;
        set
        {
            Hyperparameter.NonNegative(this, nameof(LearningRate), value);
            foreach (ParameterGroup group in _groups)
            {
                group.LearningRate = value;
            }
        }
    }

    /// <summary>How many times <see cref="Step"/> has run.</summary>
    public long StepCount { get; private set; }


    /// <summary>Updates every parameter that has a gradient, in place; parameters whose gradient is null are skipped.</summary>
    /// <exception cref="InvalidOperationException">A gradient's shape or dtype differs from its parameter's; nothing is
    /// updated.</exception>
    /// <remarks>Once every parameter's state exists, a step allocates nothing on the GC heap. In a
    /// <see cref="CapturedStep"/>, every replay steps again, with the hyper-parameters of the moment.</remarks>
    public void Step()
    {
        if (!CaptureSession.RunRecorded(_step ??= StepNow))
        {
            StepNow();
        }
    }

    private void StepNow()
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

        for (int i = 0; i < _parameters.Length; i++)
        {
            if (_parameters[i].Grad is { } gradient)
            {
                Update(_parameters[i], gradient, _groupOf[i]);
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

    /// <summary>The weight decay λ of a group that sets none; null for an optimizer that has no weight decay.</summary>
    private protected virtual double? DefaultWeightDecay => 0;

    /// <summary>The per-parameter state of the optimizer's rule; null for an optimizer that keeps none.</summary>
    private protected virtual StateTable? State => null;

    /// <summary>For <c>ToString</c>: the groups, when there is more than one, else nothing.</summary>
    private protected string GroupsDescription =>
        _groups.Length > 1 ? $", groups: [{string.Join(", ", _groups.Select(group => group.ToString()))}]" : string.Empty;

    /// <summary>The weight decay λ that applies to <paramref name="group"/>: its own, else the optimizer's.</summary>
    private protected double WeightDecayOf(ParameterGroup group) => group.WeightDecay ?? DefaultWeightDecay ?? 0;

    /// <summary>Updates one parameter in place from its gradient, which has the parameter's shape and dtype.</summary>
    /// <param name="parameter">The parameter to update.</param>
    /// <param name="gradient">Its gradient (never null).</param>
    /// <param name="group">The parameter's group, whose hyper-parameters apply.</param>
    protected abstract void Update(Parameter parameter, Tensor gradient, ParameterGroup group);
}
