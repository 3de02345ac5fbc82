namespace NeuralNet.Layers;

/// <summary>
/// A fully connected (affine) layer y = x·Wᵀ + b, PyTorch's <c>nn.Linear</c>: the weight W has shape
/// [out, in] and the bias b shape [out].
/// </summary>
/// <remarks>
/// <para>Default initialisation is PyTorch's <c>reset_parameters</c>: every weight and bias element is drawn from
/// U(−1/√in, 1/√in) (Kaiming uniform with a = √5; see <see cref="Initializers.KaimingUniform"/>). The weight uses
/// <c>seed</c> and the bias <c>seed + 1</c>, so two layers of one shape built with the same seed start equal:
/// give each layer its own seed.</para>
/// <para>Registers "weight", then "bias" if there is one.</para>
/// <para>Derivatives (G the output cotangent): ∂/∂x = G·W, ∂/∂W = Gᵀ·x, ∂/∂b = Σ over the batch of G.</para>
/// </remarks>
public sealed class Dense : Module
{
    /// <summary>Creates a layer with PyTorch's default initialisation.</summary>
    /// <param name="inFeatures">The size of each input row; positive.</param>
    /// <param name="outFeatures">The size of each output row; positive.</param>
    /// <param name="bias">Whether to add a learned bias.</param>
    /// <param name="dtype">The element type of the parameters (inputs must match); null for <see cref="Tensor.DefaultDType"/>.</param>
    /// <param name="seed">Seeds the weight (seed) and bias (seed + 1) initialisation.</param>
    /// <exception cref="ArgumentOutOfRangeException">A feature count is not positive.</exception>
    public Dense(int inFeatures, int outFeatures, bool bias = true, DType? dtype = null, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inFeatures);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outFeatures);
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        DType = dtype ?? Tensor.DefaultDType;

        Weight = RegisterParameter("weight", new Parameter(Initializers.FanInUniform(new Shape(outFeatures, inFeatures), inFeatures, seed, DType), "weight"));
        Bias = bias
            ? RegisterParameter("bias", new Parameter(Initializers.FanInUniform(new Shape(outFeatures), inFeatures, unchecked(seed + 1), DType), "bias"))
            : null;
    }

    /// <summary>The size of each input row.</summary>
    public int InFeatures { get; }

    /// <summary>The size of each output row.</summary>
    public int OutFeatures { get; }

    /// <summary>The element type of the parameters.</summary>
    public DType DType { get; }

    /// <summary>The weight W, shape [out, in].</summary>
    public Parameter Weight { get; }

    /// <summary>The bias b, shape [out], or null when built with <c>bias: false</c>.</summary>
    public Parameter? Bias { get; }

    /// <summary>Applies y = x·Wᵀ + b to the last axis of <paramref name="input"/>.</summary>
    /// <param name="input">Shape [..., in]: one row [in], a batch [n, in], or more leading axes.</param>
    /// <returns>Shape [..., out].</returns>
    /// <exception cref="ArgumentException">The last axis is not <see cref="InFeatures"/> or the dtype differs.</exception>
    public override Tensor Forward(Tensor input)
    {
        CheckInput(input);
        return Apply(input, Weight, Bias);
    }

    /// <summary>relu(<see cref="Forward"/>(input)) as one op, for <see cref="Sequential"/>'s Dense-then-ReLU pairs: the
    /// matrix product applies the ReLU as it stores the output (same values, gradients and tangents as the two modules).</summary>
    internal Tensor ForwardRelu(Tensor input)
    {
        CheckInput(input);
        return Tensor.LinearRelu(input, Weight, Bias);
    }

    private void CheckInput(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank == 0 || input.Shape[-1] != InFeatures)
        {
            throw new ArgumentException(
                $"{this}: input {input.Shape} does not end in {InFeatures} features (weight {Weight.Shape}).", nameof(input));
        }

        if (input.DType != DType)
        {
            throw new ArgumentException($"{this}: input {input.Shape} is {input.DType}; the layer's parameters are {DType}.", nameof(input));
        }
    }

    /// <summary>The functional form x·Wᵀ + b (PyTorch's <c>F.linear</c>); <see cref="Forward"/> delegates to it.</summary>
    /// <param name="input">Shape [..., in].</param>
    /// <param name="weight">Shape [out, in]; read transposed in place by the matrix-product kernel, never copied.</param>
    /// <param name="bias">Shape [out], or null for none.</param>
    /// <returns>Shape [..., out].</returns>
    /// <remarks>One op, <see cref="Tensor.Linear"/>: the bias is added as the product is written.</remarks>
    /// <exception cref="ArgumentException">The shapes do not fit or the dtypes differ.</exception>
    public static Tensor Apply(Tensor input, Tensor weight, Tensor? bias) => Tensor.Linear(input, weight, bias);

    /// <summary>The sizes, e.g. <c>Dense(in=784, out=256, bias=true)</c>.</summary>
    public override string ToString() => $"Dense(in={InFeatures}, out={OutFeatures}, bias={(Bias is null ? "false" : "true")})";
}
