namespace NeuralNet.Layers;

/// <summary>
/// Splits axis <see cref="Dim"/> into the axes <see cref="Sizes"/>, PyTorch's <c>nn.Unflatten</c>: the inverse of
/// <see cref="Flatten"/>, e.g. <c>new Unflatten(1, [1, 28, 28])</c> turns MNIST's rows of 784 pixels [N, 784] into
/// images [N, 1, 28, 28] for a <see cref="Conv2d"/>.
/// </summary>
/// <remarks>A <see cref="Tensor.Reshape(int[])"/>: no copy, and the derivative is the cotangent reshaped back.</remarks>
public sealed class Unflatten : Module
{
    private readonly int[] _sizes;

    /// <summary>Creates an unflatten layer.</summary>
    /// <param name="dim">The axis split; negative counts from the end, as in PyTorch.</param>
    /// <param name="sizes">The sizes it splits into, each positive; their product must be the axis's size.</param>
    /// <exception cref="ArgumentException"><paramref name="sizes"/> is empty or has a size that is not positive.</exception>
    public Unflatten(int dim, int[] sizes)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        if (sizes.Length == 0 || sizes.Any(size => size <= 0))
        {
            throw new ArgumentException($"Unflatten: sizes [{string.Join(", ", sizes)}] must be one or more positive sizes.", nameof(sizes));
        }

        Dim = dim;
        _sizes = [.. sizes];
    }

    /// <summary>The axis split (negative counts from the end).</summary>
    public int Dim { get; }

    /// <summary>The sizes the axis is split into.</summary>
    public IReadOnlyList<int> Sizes => _sizes;

    /// <summary>Splits axis <see cref="Dim"/> of <paramref name="input"/> into <see cref="Sizes"/>.</summary>
    /// <param name="input">A tensor whose axis <see cref="Dim"/> has the size of the product of <see cref="Sizes"/>.</param>
    /// <returns>The same values with that axis replaced by <see cref="Sizes"/>.</returns>
    /// <exception cref="ArgumentException">The axis is out of range, or its size is not the product of the sizes.</exception>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int axis = Dim < 0 ? Dim + input.Rank : Dim;
        if (axis < 0 || axis >= input.Rank)
        {
            throw new ArgumentException($"{this}: input {input.Shape} has no axis {Dim} (rank {input.Rank}).", nameof(input));
        }

        int[] dims = input.Shape.ToArray();
        long product = _sizes.Aggregate(1L, (total, size) => total * size);
        if (product != dims[axis])
        {
            throw new ArgumentException(
                $"{this}: axis {Dim} of input {input.Shape} has {dims[axis]} elements, but the sizes multiply to {product}.", nameof(input));
        }

        return input.Reshape([.. dims[..axis], .. _sizes, .. dims[(axis + 1)..]]);
    }

    /// <summary>The axis and sizes, e.g. <c>Unflatten(dim=1, sizes=[1, 28, 28])</c>.</summary>
    public override string ToString() => $"Unflatten(dim={Dim}, sizes=[{string.Join(", ", _sizes)}])";
}
