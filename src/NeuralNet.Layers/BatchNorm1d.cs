namespace NeuralNet.Layers;

/// <summary>
/// Batch normalisation over the channel axis of [N, C] or [N, C, L] inputs, PyTorch's <c>nn.BatchNorm1d</c>:
/// y = (x − E[x]) / √(Var[x] + ε) · γ + β per channel. In training mode E and Var are the batch's mean and biased
/// variance over N (and L); in evaluation mode they are the running statistics.
/// </summary>
/// <remarks>The parameters, buffers, running-statistics update and evaluation mode are <see cref="BatchNorm"/>'s.</remarks>
public sealed class BatchNorm1d : BatchNorm
{
    /// <summary>Creates a batch normalisation over <paramref name="features"/> channels.</summary>
    /// <param name="features">The number of channels C; positive.</param>
    /// <param name="eps">Added to the variance before the square root; non-negative.</param>
    /// <param name="momentum">The weight m of the new batch in the running averages, in [0, 1].</param>
    /// <param name="affine">Whether to learn γ and β.</param>
    /// <param name="trackRunningStats">Whether to keep running statistics for evaluation mode.</param>
    /// <param name="dtype">The element type of the parameters and running statistics (inputs must match); null for <see cref="Tensor.DefaultDType"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="features"/> is not positive, <paramref name="eps"/> is negative, or <paramref name="momentum"/> is outside [0, 1].</exception>
    public BatchNorm1d(int features, double eps = 1e-5, double momentum = 0.1, bool affine = true, bool trackRunningStats = true, DType? dtype = null)
        : base(features, eps, momentum, affine, trackRunningStats, dtype)
    {
    }

    /// <inheritdoc/>
    private protected override string ExpectedInputs => $"[N, {Features}] or [N, {Features}, L]";

    /// <summary>
    /// The training-mode functional form (PyTorch's <c>F.batch_norm(..., training=True)</c> without running
    /// statistics): normalises by the batch mean and biased variance per channel.
    /// </summary>
    /// <param name="input">Shape [N, C] or [N, C, L].</param>
    /// <param name="weight">γ of shape [C], or null for none.</param>
    /// <param name="bias">β of shape [C], or null for none.</param>
    /// <param name="eps">Added to the variance.</param>
    /// <returns>Shape of <paramref name="input"/>.</returns>
    /// <exception cref="ArgumentException">The input is not of rank 2 or 3, or the shapes do not broadcast.</exception>
    public static Tensor Apply(Tensor input, Tensor? weight, Tensor? bias, double eps = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank is not (2 or 3))
        {
            throw new ArgumentException($"BatchNorm1d.Apply: input {input.Shape} is not [N, C] or [N, C, L].", nameof(input));
        }

        return NormalizeByBatch(input, weight, bias, eps);
    }

    /// <inheritdoc/>
    private protected override bool AcceptsRank(int rank) => rank is 2 or 3;
}
