namespace NeuralNet.Data;

/// <summary>
/// Examples, one per row of <see cref="Inputs"/>, each with something to learn: class labels (<see cref="Dataset"/>)
/// or tensor targets (<see cref="TensorDataset"/>). What <see cref="Training.FitOptions.Validation"/> accepts.
/// </summary>
public interface IDataset
{
    /// <summary>The examples, one per row.</summary>
    Tensor Inputs { get; }

    /// <summary>The number of examples.</summary>
    int Count { get; }
}
