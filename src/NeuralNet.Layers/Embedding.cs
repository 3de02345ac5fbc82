using System.Globalization;

namespace NeuralNet.Layers;

/// <summary>
/// A lookup table of learned vectors, PyTorch's <c>nn.Embedding</c>: index k maps to row k of the weight
/// [numEmbeddings, embeddingDim], so an input of indices of any shape [...] gives [..., embeddingDim].
/// </summary>
/// <remarks>
/// <para>Tensors hold Float32 or Float64 values, so the indices are a tensor of integral values, as Keras casts its
/// input to integers; every one must be an integer in [0, numEmbeddings). They are read on the host and are not
/// differentiated; a captured step refuses the read, since a replay would reuse the indices.</para>
/// <para>Registers "weight", drawn from N(0, 1) as PyTorch does, seeded by <c>seed</c>. The lookup is
/// <see cref="Tensor.Gather"/> of the weight's rows, whose derivative scatter-adds: an index used several times
/// receives the sum of its positions' cotangents.</para>
/// <para>With <see cref="PaddingIdx"/>, as in PyTorch, that row starts as zeros and receives no gradient: its
/// positions read the row's values as a constant.</para>
/// </remarks>
public sealed class Embedding : Module
{
    /// <summary>Creates a table with PyTorch's default initialisation, N(0, 1).</summary>
    /// <param name="numEmbeddings">How many indices there are; positive.</param>
    /// <param name="embeddingDim">The size of each vector; positive.</param>
    /// <param name="paddingIdx">An index whose row starts as zeros and is not trained (PyTorch's <c>padding_idx</c>;
    /// negative counts from the end), or null for none.</param>
    /// <param name="dtype">The element type of the weight and the output; null for <see cref="Tensor.DefaultDType"/>.</param>
    /// <param name="seed">Seeds the initialisation.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, or <paramref name="paddingIdx"/> is not in
    /// [−numEmbeddings, numEmbeddings).</exception>
    public Embedding(int numEmbeddings, int embeddingDim, int? paddingIdx = null, DType? dtype = null, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numEmbeddings);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(embeddingDim);
        if (paddingIdx is { } padding && (padding < -numEmbeddings || padding >= numEmbeddings))
        {
            throw new ArgumentOutOfRangeException(
                nameof(paddingIdx), paddingIdx, $"Embedding: paddingIdx {padding} must be in [{-numEmbeddings}, {numEmbeddings}).");
        }

        NumEmbeddings = numEmbeddings;
        EmbeddingDim = embeddingDim;
        PaddingIdx = paddingIdx < 0 ? paddingIdx + numEmbeddings : paddingIdx;
        DType = dtype ?? Tensor.DefaultDType;
        Tensor initial = Tensor.RandomNormal(new Shape(numEmbeddings, embeddingDim), seed, 0.0, 1.0, DType);
        if (PaddingIdx is { } row)
        {
            initial = Tensor.Where(RowMask(numEmbeddings, row), initial, Tensor.Zeros(new Shape(embeddingDim), DType));
        }

        Weight = RegisterParameter("weight", new Parameter(initial, "weight"));
    }

    /// <summary>How many indices there are.</summary>
    public int NumEmbeddings { get; }

    /// <summary>The size of each vector.</summary>
    public int EmbeddingDim { get; }

    /// <summary>The padding row, in [0, numEmbeddings), or null for none.</summary>
    public int? PaddingIdx { get; }

    /// <summary>The element type of the weight.</summary>
    public DType DType { get; }

    /// <summary>The table, [numEmbeddings, embeddingDim].</summary>
    public Parameter Weight { get; }

    /// <summary>The rows of <see cref="Weight"/> at the indices of <paramref name="input"/>.</summary>
    /// <param name="input">Indices of any shape [...] (a scalar too), Float32 or Float64, each an integer in [0, numEmbeddings).</param>
    /// <returns>Shape [..., embeddingDim], in <see cref="DType"/>.</returns>
    /// <remarks>The indices are read on the host, so a <see cref="CapturedStep"/> refuses this layer. At the positions
    /// of <see cref="PaddingIdx"/> the row is a constant in both modes: no gradient flows back to it and no tangent
    /// forward (PyTorch zeroes only its gradient, so its forward mode would carry the row's tangent there).</remarks>
    /// <exception cref="ArgumentException">An index is not an integer.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside [0, numEmbeddings).</exception>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int[] indices = Indices(input);
        Tensor rows = Weight.Gather(indices);
        if (PaddingIdx is { } padding && Array.IndexOf(indices, padding) >= 0)
        {
            // The padding positions read the detached row: the same values, and nothing flows back to it.
            var mask = new double[indices.Length];
            for (int k = 0; k < indices.Length; k++)
            {
                mask[k] = indices[k] == padding ? 0.0 : 1.0;
            }

            rows = Tensor.Where(Tensor.FromArray(mask, indices.Length, 1), rows, rows.Detach());
        }

        return rows.Reshape([.. input.Shape.ToArray(), EmbeddingDim]);
    }

    /// <summary>The sizes, e.g. <c>Embedding(numEmbeddings=10, embeddingDim=3)</c>, with <c>paddingIdx=0</c> when set.</summary>
    public override string ToString() =>
        $"Embedding(numEmbeddings={NumEmbeddings}, embeddingDim={EmbeddingDim}{(PaddingIdx is { } p ? $", paddingIdx={p}" : "")})";

    private int[] Indices(Tensor input)
    {
        double[] values = input.ToArray<double>();
        var indices = new int[values.Length];
        for (int k = 0; k < values.Length; k++)
        {
            double value = values[k];
            if (!double.IsInteger(value))
            {
                throw new ArgumentException(
                    $"{this}: input {input.Shape} holds {value.ToString(CultureInfo.InvariantCulture)} at position {k}, which is not an integer index.",
                    nameof(input));
            }

            if (value < 0 || value >= NumEmbeddings)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(input), $"{this}: index {value.ToString(CultureInfo.InvariantCulture)} at position {k} of input {input.Shape} is outside [0, {NumEmbeddings}).");
            }

            indices[k] = (int)value;
        }

        return indices;
    }

    // 1 on every row but the padding row, as a column that broadcasts over the embedding axis.
    private static Tensor RowMask(int rows, int padding)
    {
        var mask = new double[rows];
        Array.Fill(mask, 1.0);
        mask[padding] = 0.0;
        return Tensor.FromArray(mask, rows, 1);
    }
}
