namespace NeuralNet.Optimizers.Schedules;

/// <summary>Whether <see cref="ReduceLROnPlateau"/>'s metric should fall or rise (PyTorch's <c>mode</c>).</summary>
public enum PlateauMode
{
    /// <summary>Lower is better (a loss): <c>"min"</c>.</summary>
    Min,

    /// <summary>Higher is better (an accuracy): <c>"max"</c>.</summary>
    Max,
}
