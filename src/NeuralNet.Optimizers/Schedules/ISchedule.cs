namespace NeuralNet.Optimizers.Schedules;

/// <summary>
/// What every learning-rate schedule has, <see cref="LearningRateSchedule"/> and <see cref="ReduceLROnPlateau"/>
/// alike: the optimizer it drives and a state to save and restore (PyTorch's <c>state_dict</c> and
/// <c>load_state_dict</c>), which is what a training checkpoint needs.
/// </summary>
public interface ISchedule
{
    /// <summary>The optimizer whose learning rates the schedule sets.</summary>
    Optimizer Optimizer { get; }

    /// <summary>The schedule's state, a fresh copy of named numbers.</summary>
    IReadOnlyDictionary<string, double> State { get; }

    /// <summary>Continues from a <see cref="State"/> saved by a schedule made with the same settings.</summary>
    /// <param name="state">The saved state.</param>
    /// <exception cref="ArgumentException">The state does not fit this schedule; nothing changes.</exception>
    void LoadState(IReadOnlyDictionary<string, double> state);
}
