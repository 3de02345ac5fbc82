namespace NeuralNet.Optimizers.Schedules;

/// <summary>How <see cref="OneCycleLR"/> moves between rates within a phase (PyTorch's <c>anneal_strategy</c>).</summary>
public enum OneCycleAnnealing
{
    /// <summary>Along a half cosine: end + (start − end)(1 + cos(π p)) / 2 at fraction p of the phase (<c>"cos"</c>).</summary>
    Cosine,

    /// <summary>In a straight line: start + (end − start) p (<c>"linear"</c>).</summary>
    Linear,
}
