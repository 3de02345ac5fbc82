namespace NeuralNet.Layers;

/// <summary>The exponential linear unit: x for x &gt; 0, else α(eˣ − 1), element-wise (PyTorch's <c>nn.ELU</c>).</summary>
/// <remarks>f′(x) = 1 for x &gt; 0, else α·eˣ.</remarks>
public sealed class ELU : Activation
{
    /// <summary>Creates the activation.</summary>
    /// <param name="alpha">The value −α is the saturation for large negative inputs; finite.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> is not finite.</exception>
    public ELU(double alpha = 1.0)
    {
        if (!double.IsFinite(alpha))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), $"ELU: alpha {alpha} must be finite.");
        }

        Alpha = alpha;
    }

    /// <summary>The saturation scale α.</summary>
    public double Alpha { get; }

    /// <summary>Applies the ELU element-wise.</summary>
    public override Tensor Forward(Tensor input) => input.Elu(Alpha);

    /// <summary>Shows α, e.g. <c>ELU(alpha=1)</c>.</summary>
    public override string ToString() => FormattableString.Invariant($"ELU(alpha={Alpha})");
}
