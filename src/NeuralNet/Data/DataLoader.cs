namespace NeuralNet.Data;

/// <summary>
/// Mini-batches of a data set (PyTorch's <c>DataLoader</c>): full-batch gradient descent, stochastic gradient
/// descent and mini-batch gradient descent are one update rule fed batches of size n, 1 and b.
/// </summary>
public static class DataLoader
{
    /// <summary>The data set in batches of <paramref name="batchSize"/> rows (the last may be smaller).</summary>
    /// <param name="data">The data set.</param>
    /// <param name="batchSize">Rows per batch.</param>
    /// <param name="shuffle">Visit the rows in a seeded random order (a new order for each seed).</param>
    /// <param name="seed">Seeds the shuffle; pass the epoch number for a different order per epoch.</param>
    /// <param name="dropLast">Skip a final batch smaller than <paramref name="batchSize"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is not positive.</exception>
    public static IEnumerable<(Tensor Inputs, int[] Labels)> Batches(
        Dataset data, int batchSize, bool shuffle = false, int seed = 0, bool dropLast = false)
    {
        foreach (int[] rows in RowBatches(data.Count, batchSize, shuffle, seed, dropLast))
        {
            yield return (data.Inputs.Gather(rows), LabelsOf(data, rows));
        }
    }

    /// <summary>Batches of inputs and regression targets, row by row in step.</summary>
    /// <exception cref="ArgumentException">The inputs and targets have different numbers of rows.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is not positive.</exception>
    public static IEnumerable<(Tensor Inputs, Tensor Targets)> Batches(
        Tensor inputs, Tensor targets, int batchSize, bool shuffle = false, int seed = 0, bool dropLast = false)
    {
        if (inputs.Rank == 0 || targets.Rank == 0 || inputs.Shape[0] != targets.Shape[0])
        {
            throw new ArgumentException($"Batches: inputs {inputs.Shape} and targets {targets.Shape} need the same number of rows.", nameof(targets));
        }

        return RowBatches(inputs.Shape[0], batchSize, shuffle, seed, dropLast).Select(rows => (inputs.Gather(rows), targets.Gather(rows)));
    }

    /// <summary>Batches of a data set's inputs and targets, row by row in step.</summary>
    /// <param name="data">The data set.</param>
    /// <param name="batchSize">Rows per batch.</param>
    /// <param name="shuffle">Visit the rows in a seeded random order (a new order for each seed).</param>
    /// <param name="seed">Seeds the shuffle; pass the epoch number for a different order per epoch.</param>
    /// <param name="dropLast">Skip a final batch smaller than <paramref name="batchSize"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is not positive.</exception>
    public static IEnumerable<(Tensor Inputs, Tensor Targets)> Batches(
        TensorDataset data, int batchSize, bool shuffle = false, int seed = 0, bool dropLast = false)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Batches(data.Inputs, data.Targets, batchSize, shuffle, seed, dropLast);
    }

    /// <summary>A seeded permutation of 0..count−1 (Fisher–Yates).</summary>
    public static int[] Permutation(int count, int seed)
    {
        int[] order = [.. Enumerable.Range(0, count)];
        new Random(seed).Shuffle(order);
        return order;
    }

    /// <summary>
    /// The rows of a seeded shuffle of 0..count−1, split into the first 1 − <paramref name="fraction"/> and the last
    /// <paramref name="fraction"/> (rounded).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fraction"/> is not in (0, 1).</exception>
    internal static (int[] First, int[] Second) SplitRows(int count, double fraction, int seed)
    {
        if (!(fraction > 0 && fraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), $"Split: fraction {fraction} must be in (0, 1).");
        }

        int[] order = Permutation(count, seed);
        int second = (int)Math.Round(count * fraction);
        return (order[..^second], order[^second..]);
    }

    /// <summary>The labels of <paramref name="rows"/>, in order.</summary>
    internal static int[] LabelsOf(Dataset data, int[] rows)
    {
        var labels = new int[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            labels[i] = data.Labels[rows[i]];
        }

        return labels;
    }

    /// <summary>The row indices of each batch, shuffled by <paramref name="seed"/> when asked; argument checks run at once.</summary>
    internal static IEnumerable<int[]> RowBatches(int count, int batchSize, bool shuffle, int seed, bool dropLast)
    {
        if (batchSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize), $"Batches: batch size {batchSize} must be positive.");
        }

        return Iterate();

        IEnumerable<int[]> Iterate()
        {
            int[] order = shuffle ? Permutation(count, seed) : [.. Enumerable.Range(0, count)];
            for (int start = 0; start < count; start += batchSize)
            {
                int size = Math.Min(batchSize, count - start);
                if (dropLast && size < batchSize)
                {
                    yield break;
                }

                yield return order[start..(start + size)];
            }
        }
    }
}
