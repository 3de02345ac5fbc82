namespace NeuralNet.Layers;

/// <summary>
/// A 1-D convolution layer over [N, C, L] inputs, PyTorch's <c>nn.Conv1d</c>: the weight has shape [out, in, k] and the
/// bias shape [out]. See <see cref="Tensor.Conv1d"/> for the arithmetic.
/// </summary>
/// <remarks>
/// <para>Default initialisation is PyTorch's: weight and bias elements from U(−1/√fan_in, 1/√fan_in) with
/// fan_in = in·k; the weight uses <c>seed</c> and the bias <c>seed + 1</c>.</para>
/// <para>Registers "weight", then "bias" if there is one. Groups are not supported.</para>
/// </remarks>
public sealed class Conv1d : Module
{
    /// <summary>Creates a layer with PyTorch's default initialisation.</summary>
    /// <param name="inChannels">The channels C of each input; positive.</param>
    /// <param name="outChannels">The channels of each output; positive.</param>
    /// <param name="kernelSize">The kernel length k; positive.</param>
    /// <param name="stride">The step between windows; positive.</param>
    /// <param name="padding">Zeros added at both ends; non-negative.</param>
    /// <param name="dilation">The spacing between kernel elements; positive.</param>
    /// <param name="bias">Whether to add a learned bias.</param>
    /// <param name="dtype">The element type of the parameters (inputs must match); null for <see cref="Tensor.DefaultDType"/>.</param>
    /// <param name="seed">Seeds the weight (seed) and bias (seed + 1) initialisation.</param>
    /// <exception cref="ArgumentOutOfRangeException">A channel count, the kernel size, stride or dilation is not positive, or
    /// the padding is negative.</exception>
    public Conv1d(
        int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, int dilation = 1,
        bool bias = true, DType? dtype = null, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dilation);
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        Dilation = dilation;
        DType = dtype ?? Tensor.DefaultDType;

        double fanIn = (double)inChannels * kernelSize;
        Weight = RegisterParameter(
            "weight", new Parameter(Initializers.FanInUniform(new Shape(outChannels, inChannels, kernelSize), fanIn, seed, DType), "weight"));
        Bias = bias
            ? RegisterParameter("bias", new Parameter(Initializers.FanInUniform(new Shape(outChannels), fanIn, unchecked(seed + 1), DType), "bias"))
            : null;
    }

    /// <summary>The channels of each input.</summary>
    public int InChannels { get; }

    /// <summary>The channels of each output.</summary>
    public int OutChannels { get; }

    /// <summary>The kernel length.</summary>
    public int KernelSize { get; }

    /// <summary>The step between windows.</summary>
    public int Stride { get; }

    /// <summary>The zeros added at both ends.</summary>
    public int Padding { get; }

    /// <summary>The spacing between kernel elements.</summary>
    public int Dilation { get; }

    /// <summary>The element type of the parameters.</summary>
    public DType DType { get; }

    /// <summary>The weight, shape [out, in, k].</summary>
    public Parameter Weight { get; }

    /// <summary>The bias, shape [out], or null when built with <c>bias: false</c>.</summary>
    public Parameter? Bias { get; }

    /// <summary>Convolves <paramref name="input"/> with the weight and adds the bias.</summary>
    /// <param name="input">Shape [N, in, L].</param>
    /// <returns>Shape [N, out, Lout].</returns>
    /// <exception cref="ArgumentException">The input is not [N, in, L] of the layer's dtype, or is shorter than the dilated
    /// kernel once padded.</exception>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 3 || input.Shape[1] != InChannels)
        {
            throw new ArgumentException($"{this}: input {input.Shape} is not [N, {InChannels}, L] (weight {Weight.Shape}).", nameof(input));
        }

        if (input.DType != DType)
        {
            throw new ArgumentException($"{this}: input {input.Shape} is {input.DType}; the layer's parameters are {DType}.", nameof(input));
        }

        return Tensor.Conv1d(input, Weight, Bias, Stride, Padding, Dilation);
    }

    /// <summary>The configuration, e.g. <c>Conv1d(in=3, out=16, kernel=3, stride=1, padding=0, dilation=1, bias=true)</c>.</summary>
    public override string ToString() =>
        $"Conv1d(in={InChannels}, out={OutChannels}, kernel={KernelSize}, stride={Stride}, padding={Padding}, dilation={Dilation}, "
        + $"bias={(Bias is null ? "false" : "true")})";
}
