namespace NeuralNet.Layers;

/// <summary>
/// The last time step of a sequence, for a <see cref="Sequential"/> that ends a recurrent layer with a classifier
/// (Keras's <c>return_sequences=False</c>; in PyTorch, <c>output[-1]</c> or <c>output[:, -1]</c>): [T, N, H] becomes
/// [N, H], [N, T, H] with <see cref="BatchFirst"/> becomes [N, H], and unbatched [T, H] becomes [H].
/// </summary>
/// <remarks>A <see cref="Tensor.Slice"/> and a reshape: the derivative puts the cotangent at the last step and zeros elsewhere.
/// After a recurrent layer it is the final hidden state hₙ that the layer's two-argument <c>Forward</c> returns, as a
/// matrix [N, H] rather than [1, N, H].</remarks>
public sealed class LastStep : Module
{
    /// <summary>Creates the layer for one layout, which should match the recurrent layer's.</summary>
    /// <param name="batchFirst">Whether a batched input is [N, T, H] rather than [T, N, H].</param>
    public LastStep(bool batchFirst = false)
    {
        BatchFirst = batchFirst;
    }

    /// <summary>Whether a batched input is [N, T, H] rather than [T, N, H].</summary>
    public bool BatchFirst { get; }

    /// <summary>Takes the last step of <paramref name="input"/>'s time axis.</summary>
    /// <param name="input">[T, N, H] ([N, T, H] batch-first), or unbatched [T, H], with T at least 1.</param>
    /// <returns>[N, H], or [H].</returns>
    /// <exception cref="ArgumentException">The input is not of rank 2 or 3, or has no time steps.</exception>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int axis = input.Rank == 3 && BatchFirst ? 1 : 0;
        if ((input.Rank != 2 && input.Rank != 3) || input.Shape[axis] == 0)
        {
            throw new ArgumentException(
                $"{this}: input {input.Shape} is not a sequence {(BatchFirst ? "[N, T, H]" : "[T, N, H]")} or [T, H] with T at least 1.", nameof(input));
        }

        return input.Slice(axis, -1, 1).Squeeze(axis);
    }

    /// <summary>The layout, e.g. <c>LastStep(batchFirst=false)</c>.</summary>
    public override string ToString() => $"LastStep(batchFirst={(BatchFirst ? "true" : "false")})";
}
