namespace NeuralNet.Layers;

/// <summary>
/// Merges the axes from <see cref="StartDim"/> to <see cref="EndDim"/> into one, PyTorch's <c>nn.Flatten</c>: by
/// default every axis but the batch axis, so [N, C, H, W] becomes [N, C·H·W].
/// </summary>
/// <remarks>A <see cref="Tensor.Reshape(int[])"/>: no copy, and the derivative is the cotangent reshaped back.</remarks>
public sealed class Flatten : Module
{
    /// <summary>Creates a flatten layer; negative axes count from the end, as in PyTorch.</summary>
    /// <param name="startDim">The first axis merged.</param>
    /// <param name="endDim">The last axis merged.</param>
    public Flatten(int startDim = 1, int endDim = -1)
    {
        StartDim = startDim;
        EndDim = endDim;
    }

    /// <summary>The first axis merged (negative counts from the end).</summary>
    public int StartDim { get; }

    /// <summary>The last axis merged (negative counts from the end).</summary>
    public int EndDim { get; }

    /// <summary>Merges the axes <see cref="StartDim"/> to <see cref="EndDim"/> of <paramref name="input"/>.</summary>
    /// <param name="input">A tensor with both axes in range.</param>
    /// <returns>The same values with rank reduced by end − start.</returns>
    /// <exception cref="ArgumentException">An axis is out of range for the input, or the start axis comes after the end axis.</exception>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int rank = input.Rank;
        int start = StartDim < 0 ? StartDim + rank : StartDim;
        int end = EndDim < 0 ? EndDim + rank : EndDim;
        if (start < 0 || start >= rank || end < 0 || end >= rank)
        {
            throw new ArgumentException($"{this}: input {input.Shape} has no axis {(start < 0 || start >= rank ? StartDim : EndDim)} (rank {rank}).", nameof(input));
        }

        if (start > end)
        {
            throw new ArgumentException($"{this}: for input {input.Shape} the start axis {StartDim} comes after the end axis {EndDim}.", nameof(input));
        }

        int[] dims = input.Shape.ToArray();
        int merged = 1;
        for (int i = start; i <= end; i++)
        {
            merged *= dims[i];
        }

        return input.Reshape([.. dims[..start], merged, .. dims[(end + 1)..]]);
    }

    /// <summary>The axes, e.g. <c>Flatten(startDim=1, endDim=-1)</c>.</summary>
    public override string ToString() => $"Flatten(startDim={StartDim}, endDim={EndDim})";
}
