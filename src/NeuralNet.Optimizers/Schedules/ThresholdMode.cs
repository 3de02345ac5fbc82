namespace NeuralNet.Optimizers.Schedules;

/// <summary>How <see cref="ReduceLROnPlateau"/> measures an improvement over the best metric (PyTorch's <c>threshold_mode</c>).</summary>
public enum ThresholdMode
{
    /// <summary>Better than best · (1 ∓ threshold): <c>"rel"</c>.</summary>
    Relative,

    /// <summary>Better than best ∓ threshold: <c>"abs"</c>.</summary>
    Absolute,
}
