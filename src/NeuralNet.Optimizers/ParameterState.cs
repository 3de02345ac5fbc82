namespace NeuralNet.Optimizers;

/// <summary>
/// An update rule's state for one parameter: how many updates it has had, and the rule's buffers, each a
/// <c>float[]</c> or <c>double[]</c> of the parameter's dtype and size (starting at 0).
/// </summary>
internal sealed class ParameterState(Array?[] slots)
{
    /// <summary>t, how many updates this parameter has had: the exponent of Adam's bias corrections.</summary>
    /// <remarks>Counted per parameter, as PyTorch does, so a parameter that first gets a gradient late is corrected as
    /// a fresh one; it equals <see cref="Optimizer.StepCount"/> when every parameter has a gradient at every step.</remarks>
    public long Step { get; set; }

    /// <summary>The buffers, in the order of <see cref="StateTable.SlotNames"/>; null where the rule uses no buffer.</summary>
    public Array?[] Slots { get; } = slots;

    /// <summary>Buffer <paramref name="slot"/>, or an empty span for a slot the rule does not use.</summary>
    public Span<T> Slot<T>(int slot) => (T[]?)Slots[slot];
}

/// <summary>
/// The state of every parameter an update rule has updated, with the rule's buffer names (PyTorch's, for
/// <see cref="Optimizer.StateDict"/>). A parameter's state is created at its first update.
/// </summary>
/// <param name="countsSteps">Whether the rule's state includes PyTorch's per-parameter <c>step</c>.</param>
/// <param name="slotNames">The name of each buffer slot the kernel sees, or null for a slot this configuration of the
/// rule leaves empty (RMSProp without momentum has no <c>momentum_buffer</c>).</param>
internal sealed class StateTable(bool countsSteps, params string?[] slotNames)
{
    private Dictionary<Parameter, ParameterState> _states = new(ReferenceEqualityComparer.Instance);

    /// <summary>Whether each parameter's state includes its <c>step</c>.</summary>
    public bool CountsSteps { get; } = countsSteps;

    /// <summary>The buffer names by slot, null for an unused slot.</summary>
    public IReadOnlyList<string?> SlotNames { get; } = slotNames;

    /// <summary>The state of <paramref name="parameter"/>, or null before its first update.</summary>
    public ParameterState? Of(Parameter parameter) => _states.GetValueOrDefault(parameter);

    /// <summary>The state of <paramref name="parameter"/>, created (zero buffers) if it has none.</summary>
    /// <param name="parameter">The parameter about to be updated.</param>
    /// <param name="created">Whether the state was created by this call (the parameter's first update).</param>
    public ParameterState GetOrCreate<T>(Parameter parameter, out bool created)
    {
        created = !_states.TryGetValue(parameter, out ParameterState? state);
        if (created)
        {
            state = Zeros<T>(parameter.Size);
            _states.Add(parameter, state);
        }

        return state!;
    }

    /// <summary>A fresh state. Apart from <see cref="GetOrCreate"/>, whose steady-state path must not allocate the
    /// closure this lambda captures.</summary>
    private ParameterState Zeros<T>(int size) =>
        new([.. SlotNames.Select(name => name is null ? null : (Array)new T[size])]);

    /// <summary>Replaces every parameter's state (parameters missing from <paramref name="states"/> have none).</summary>
    public void Replace(Dictionary<Parameter, ParameterState> states) => _states = states;
}
