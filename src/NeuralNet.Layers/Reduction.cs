namespace NeuralNet.Layers;

/// <summary>How a loss combines its per-element (or per-sample) values (PyTorch's <c>reduction</c>).</summary>
public enum Reduction
{
    /// <summary>No reduction: the loss has one value per element (per sample for cross-entropy).</summary>
    None,

    /// <summary>The mean of the values (the default).</summary>
    Mean,

    /// <summary>The sum of the values.</summary>
    Sum,
}
