namespace NeuralNet.Data;

/// <summary>A labelled data set: one row of <see cref="Inputs"/> per example, and its class in <see cref="Labels"/>.</summary>
public sealed record Dataset
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

    /// <summary>The examples, one per row.</summary>
    public Tensor Inputs { get; }

    /// <summary>The class of each example.</summary>
    public int[] Labels { get; }

    /// <summary>The number of examples.</summary>
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
        if (!(fraction > 0 && fraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), $"Split: fraction {fraction} must be in (0, 1).");
        }

        int[] order = DataLoader.Permutation(Count, seed);
        int second = (int)Math.Round(Count * fraction);
        return (Subset(order[..^second]), Subset(order[^second..]));
    }
}
