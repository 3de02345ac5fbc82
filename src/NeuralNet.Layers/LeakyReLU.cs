namespace NeuralNet.Layers;

/// <summary>The leaky ReLU: x for x &gt; 0, else α·x, element-wise (PyTorch's <c>nn.LeakyReLU</c>).</summary>
/// <remarks>f′(x) = 1 for x &gt; 0, else α.</remarks>
public sealed class LeakyReLU : Activation
{
    /// <summary>Creates the activation.</summary>
    /// <param name="alpha">The slope for negative inputs (PyTorch's <c>negative_slope</c>); finite.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> is not finite.</exception>
    public LeakyReLU(double alpha = 0.01)
    {
        if (!double.IsFinite(alpha))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), $"LeakyReLU: alpha {alpha} must be finite.");
        }

        Alpha = alpha;
    }

    /// <summary>The slope for negative inputs.</summary>
    public double Alpha { get; }

    /// <summary>Applies the leaky ReLU element-wise.</summary>
    public override Tensor Forward(Tensor input) => input.LeakyRelu(Alpha);

    /// <summary>Shows the slope, e.g. <c>LeakyReLU(alpha=0.01)</c>.</summary>
    public override string ToString() => FormattableString.Invariant($"LeakyReLU(alpha={Alpha})");
}
