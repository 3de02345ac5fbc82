namespace NeuralNet.Data;

/// <summary>
/// A labelled data set: one row of <see cref="Inputs"/> per example, and its class in <see cref="Labels"/>. For tensor
/// targets (regression, several outputs, probabilities) use <see cref="TensorDataset"/>.
/// </summary>
public sealed record Dataset : IDataset
{
    /// <summary>Creates a data set, checking that there is one label per row.</summary>
    /// <param name="inputs">The examples, [count, features…].</param>
    /// <param name="labels">The class of each example, 0 ≤ label.</param>
    /// <exception cref="ArgumentException">The counts differ, the inputs are a scalar, or a label is negative.</exception>
    public Dataset(Tensor inputs, int[] labels)
    {
        if (inputs.Rank == 0 || inputs.Shape[0] != labels.Length)
        {
            throw new ArgumentException($"Dataset: inputs {inputs.Shape} need one label per row; there are {labels.Length} labels.", nameof(labels));
        }

        int negative = Array.FindIndex(labels, l => l < 0);
        if (negative >= 0)
        {
            throw new ArgumentException($"Dataset: label {labels[negative]} at row {negative} is negative.", nameof(labels));
        }

        Inputs = inputs;
        Labels = labels;
    }

    /// <inheritdoc/>
    public Tensor Inputs { get; }

    /// <summary>The class of each example.</summary>
    public int[] Labels { get; }

    /// <inheritdoc/>
    public int Count => Labels.Length;

    /// <summary>The number of classes: one more than the largest label.</summary>
    /// <exception cref="InvalidOperationException">The largest label is <see cref="int.MaxValue"/>, which leaves no class count.</exception>
    public int Classes
    {
        get
        {
            int largest = Labels.Length == 0 ? -1 : Labels.Max();
            return largest < int.MaxValue
                ? largest + 1
                : throw new InvalidOperationException($"Dataset: label {largest} is too large to count classes up to it.");
        }
    }

    /// <summary>The examples at <paramref name="rows"/>, in that order.</summary>
    public Dataset Subset(int[] rows) => new(Inputs.Gather(rows), [.. rows.Select(r => Labels[r])]);

    /// <summary>
    /// Splits off the last <paramref name="fraction"/> of a seeded shuffle as a second set (for validation or test).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fraction"/> is not in (0, 1).</exception>
    public (Dataset First, Dataset Second) Split(double fraction, int seed)
    {
        var (first, second) = DataLoader.SplitRows(Count, fraction, seed);
        return (Subset(first), Subset(second));
    }
}
