namespace NeuralNet.Data;

/// <summary>
/// Inputs with tensor targets, row by row (PyTorch's <c>TensorDataset</c>): regression values, several outputs per
/// example, or target probabilities. For integer class labels use <see cref="Dataset"/>.
/// </summary>
public sealed record TensorDataset : IDataset
{
    /// <summary>Creates a data set, checking that there is one target row per input row.</summary>
    /// <param name="inputs">The examples, [count, features…].</param>
    /// <param name="targets">What to predict for each example, [count, outputs…]: row i belongs to input row i.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">Either is a scalar, or their row counts differ.</exception>
    public TensorDataset(Tensor inputs, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (inputs.Rank == 0)
        {
            throw new ArgumentException($"TensorDataset: inputs {inputs.Shape} are a scalar; they need one row per example.", nameof(inputs));
        }

        if (targets.Rank == 0 || targets.Shape[0] != inputs.Shape[0])
        {
            throw new ArgumentException(
                $"TensorDataset: inputs {inputs.Shape} have {inputs.Shape[0]} rows but targets {targets.Shape} have {(targets.Rank == 0 ? "none" : targets.Shape[0])}; they need one target row per input row.",
                nameof(targets));
        }

        Inputs = inputs;
        Targets = targets;
    }

    /// <inheritdoc/>
    public Tensor Inputs { get; }

    /// <summary>The target of each example, one per row.</summary>
    public Tensor Targets { get; }

    /// <inheritdoc/>
    public int Count => Inputs.Shape[0];

    /// <summary>The examples at <paramref name="rows"/>, in that order.</summary>
    public TensorDataset Subset(int[] rows) => new(Inputs.Gather(rows), Targets.Gather(rows));

    /// <summary>
    /// Splits off the last <paramref name="fraction"/> of a seeded shuffle as a second set (for validation or test).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fraction"/> is not in (0, 1).</exception>
    public (TensorDataset First, TensorDataset Second) Split(double fraction, int seed)
    {
        var (first, second) = DataLoader.SplitRows(Count, fraction, seed);
        return (Subset(first), Subset(second));
    }
}
