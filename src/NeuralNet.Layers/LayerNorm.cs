using System.Globalization;

namespace NeuralNet.Layers;

/// <summary>
/// Layer normalisation over the last axis, PyTorch's <c>nn.LayerNorm(features)</c>: each row is normalised by its
/// own mean and biased variance, y = (x − E[x]) / √(Var[x] + ε) · γ + β, in training and evaluation alike.
/// </summary>
/// <remarks>
/// <para>Registers "weight" (γ, ones), then "bias" (β, zeros), both of shape [features], when
/// <see cref="ElementwiseAffine"/>.</para>
/// <para>Composed of differentiable ops (mean, variance, square root, broadcasting arithmetic), so both AD modes
/// and higher orders work.</para>
/// </remarks>
public sealed class LayerNorm : Module
{
    /// <summary>Creates a layer normalisation over a last axis of <paramref name="features"/>.</summary>
    /// <param name="features">The size of the last axis; positive.</param>
    /// <param name="eps">Added to the variance before the square root; non-negative.</param>
    /// <param name="elementwiseAffine">Whether to learn γ and β.</param>
    /// <param name="dtype">The element type of the parameters (inputs must match); null for <see cref="Tensor.DefaultDType"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="features"/> is not positive or <paramref name="eps"/> is negative or NaN.</exception>
    public LayerNorm(int features, double eps = 1e-5, bool elementwiseAffine = true, DType? dtype = null)
    {
        if (features <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(features), features, $"LayerNorm: features = {features} must be positive.");
        }

        if (!(eps >= 0.0))
        {
            throw new ArgumentOutOfRangeException(nameof(eps), eps, $"LayerNorm: eps = {eps.ToString(CultureInfo.InvariantCulture)} must be non-negative.");
        }

        Features = features;
        Eps = eps;
        DType = dtype ?? Tensor.DefaultDType;
        if (elementwiseAffine)
        {
            Weight = RegisterParameter("weight", new Parameter(Tensor.Ones(new Shape(features), DType), "weight"));
            Bias = RegisterParameter("bias", new Parameter(Tensor.Zeros(new Shape(features), DType), "bias"));
        }
    }

    /// <summary>The size of the last axis.</summary>
    public int Features { get; }

    /// <summary>The ε added to the variance.</summary>
    public double Eps { get; }

    /// <summary>The element type of the parameters.</summary>
    public DType DType { get; }

    /// <summary>Whether γ and β are learned.</summary>
    public bool ElementwiseAffine => Weight is not null;

    /// <summary>γ, shape [features], or null without an affine transform.</summary>
    public Parameter? Weight { get; }

    /// <summary>β, shape [features], or null without an affine transform.</summary>
    public Parameter? Bias { get; }

    /// <summary>Normalises each row of the last axis of <paramref name="input"/>.</summary>
    /// <param name="input">Shape [..., features].</param>
    /// <returns>Shape of <paramref name="input"/>.</returns>
    /// <exception cref="ArgumentException">The last axis is not <see cref="Features"/> or the dtype differs.</exception>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank == 0 || input.Shape[-1] != Features)
        {
            throw new ArgumentException($"{this}: input {input.Shape} does not end in {Features} features.", nameof(input));
        }

        if (input.DType != DType)
        {
            throw new ArgumentException($"{this}: input {input.Shape} is {input.DType}; the layer's parameters are {DType}.", nameof(input));
        }

        return Apply(input, Weight, Bias, Eps);
    }

    /// <summary>The functional form (PyTorch's <c>F.layer_norm</c> over the last axis); <see cref="Forward"/> delegates to it.</summary>
    /// <param name="input">Shape [..., features], rank at least 1.</param>
    /// <param name="weight">γ of shape [features], or null for none.</param>
    /// <param name="bias">β of shape [features], or null for none.</param>
    /// <param name="eps">Added to the variance.</param>
    /// <returns>(x − mean) / √(biased variance + ε) · γ + β, each over the last axis.</returns>
    /// <exception cref="ArgumentException">The input is a scalar, or the shapes do not broadcast.</exception>
    public static Tensor Apply(Tensor input, Tensor? weight, Tensor? bias, double eps = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank == 0)
        {
            throw new ArgumentException("LayerNorm.Apply: a scalar input has no last axis to normalise.", nameof(input));
        }

        int last = input.Rank - 1;
        Tensor mean = input.Mean(last, keepDims: true);
        Tensor variance = input.Variance(last, keepDims: true, correction: 0);
        Tensor normalized = (input - mean) / (variance + eps).Sqrt();
        if (weight is not null)
        {
            normalized *= weight;
        }

        return bias is null ? normalized : normalized + bias;
    }

    /// <summary>The settings, e.g. <c>LayerNorm(features=4, eps=1E-05, elementwiseAffine=true)</c>.</summary>
    public override string ToString() =>
        $"LayerNorm(features={Features}, eps={Eps.ToString(CultureInfo.InvariantCulture)}, elementwiseAffine={(ElementwiseAffine ? "true" : "false")})";
}
