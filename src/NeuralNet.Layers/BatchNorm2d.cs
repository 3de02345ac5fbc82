namespace NeuralNet.Layers;

/// <summary>
/// Batch normalisation over the channel axis of [N, C, H, W] images, PyTorch's <c>nn.BatchNorm2d</c>:
/// y = (x − E[x]) / √(Var[x] + ε) · γ + β per channel. In training mode E and Var are the batch's mean and biased
/// variance over N, H and W; in evaluation mode they are the running statistics.
/// </summary>
/// <remarks>The parameters, buffers, running-statistics update (with n = N·H·W values per channel) and evaluation mode
/// are <see cref="BatchNorm"/>'s, under the same <c>state_dict</c> keys as PyTorch's.</remarks>
public sealed class BatchNorm2d : BatchNorm
{
    /// <summary>Creates a batch normalisation over <paramref name="features"/> channels.</summary>
    /// <param name="features">The number of channels C; positive.</param>
    /// <param name="eps">Added to the variance before the square root; non-negative.</param>
    /// <param name="momentum">The weight m of the new batch in the running averages, in [0, 1].</param>
    /// <param name="affine">Whether to learn γ and β.</param>
    /// <param name="trackRunningStats">Whether to keep running statistics for evaluation mode.</param>
    /// <param name="dtype">The element type of the parameters and running statistics (inputs must match); null for <see cref="Tensor.DefaultDType"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="features"/> is not positive, <paramref name="eps"/> is negative, or <paramref name="momentum"/> is outside [0, 1].</exception>
    public BatchNorm2d(int features, double eps = 1e-5, double momentum = 0.1, bool affine = true, bool trackRunningStats = true, DType? dtype = null)
        : base(features, eps, momentum, affine, trackRunningStats, dtype)
    {
    }

    /// <inheritdoc/>
    private protected override string ExpectedInputs => $"[N, {Features}, H, W]";

    /// <summary>
    /// The training-mode functional form (PyTorch's <c>F.batch_norm(..., training=True)</c> without running
    /// statistics): normalises by the batch mean and biased variance per channel over N, H and W.
    /// </summary>
    /// <param name="input">Shape [N, C, H, W].</param>
    /// <param name="weight">γ of shape [C], or null for none.</param>
    /// <param name="bias">β of shape [C], or null for none.</param>
    /// <param name="eps">Added to the variance.</param>
    /// <returns>Shape of <paramref name="input"/>.</returns>
    /// <exception cref="ArgumentException">The input is not of rank 4, or the shapes do not broadcast.</exception>
    public static Tensor Apply(Tensor input, Tensor? weight, Tensor? bias, double eps = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4)
        {
            throw new ArgumentException($"BatchNorm2d.Apply: input {input.Shape} is not [N, C, H, W].", nameof(input));
        }

        return NormalizeByBatch(input, weight, bias, eps);
    }

    /// <inheritdoc/>
    private protected override bool AcceptsRank(int rank) => rank == 4;
}
