namespace NeuralNet.Layers;

/// <summary>
/// A 2-D convolution layer over [N, C, H, W] inputs, PyTorch's <c>nn.Conv2d</c>: the weight has shape
/// [out, in, kh, kw] and the bias shape [out]. See <see cref="Tensor.Conv2d"/> for the arithmetic.
/// </summary>
/// <remarks>
/// <para>Default initialisation is PyTorch's <c>reset_parameters</c>: every weight and bias element is drawn from
/// U(−1/√fan_in, 1/√fan_in) with fan_in = in·kh·kw (Kaiming uniform with a = √5, as <see cref="Dense"/>). The weight uses
/// <c>seed</c> and the bias <c>seed + 1</c>: give each layer its own seed.</para>
/// <para>Registers "weight", then "bias" if there is one, so checkpoints use PyTorch's keys. Groups and padding modes
/// other than zeros are not supported.</para>
/// </remarks>
public sealed class Conv2d : Module
{
    /// <summary>Creates a layer with PyTorch's default initialisation.</summary>
    /// <param name="inChannels">The channels C of each input; positive.</param>
    /// <param name="outChannels">The channels of each output; positive.</param>
    /// <param name="kernelSize">The kernel (kh, kw); an int n means (n, n).</param>
    /// <param name="stride">The step between windows; null for 1.</param>
    /// <param name="padding">Zeros on both sides of each spatial axis; null for 0.</param>
    /// <param name="dilation">The spacing between kernel elements; null for 1.</param>
    /// <param name="bias">Whether to add a learned bias.</param>
    /// <param name="dtype">The element type of the parameters (inputs must match); null for <see cref="Tensor.DefaultDType"/>.</param>
    /// <param name="seed">Seeds the weight (seed) and bias (seed + 1) initialisation.</param>
    /// <exception cref="ArgumentOutOfRangeException">A channel count, kernel size, stride or dilation is not positive, or a
    /// padding is negative.</exception>
    public Conv2d(
        int inChannels, int outChannels, Size2 kernelSize, Size2? stride = null, Size2? padding = null, Size2? dilation = null,
        bool bias = true, DType? dtype = null, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = WindowArguments.Positive(nameof(Conv2d), nameof(kernelSize), kernelSize);
        Stride = WindowArguments.Positive(nameof(Conv2d), nameof(stride), stride ?? 1);
        Padding = WindowArguments.Padding(nameof(Conv2d), padding ?? 0, kernelSize, halfKernel: false);
        Dilation = WindowArguments.Positive(nameof(Conv2d), nameof(dilation), dilation ?? 1);
        DType = dtype ?? Tensor.DefaultDType;

        double fanIn = (double)inChannels * kernelSize.Height * kernelSize.Width;
        var weightShape = new Shape(outChannels, inChannels, kernelSize.Height, kernelSize.Width);
        Weight = RegisterParameter("weight", new Parameter(Initializers.FanInUniform(weightShape, fanIn, seed, DType), "weight"));
        Bias = bias
            ? RegisterParameter("bias", new Parameter(Initializers.FanInUniform(new Shape(outChannels), fanIn, unchecked(seed + 1), DType), "bias"))
            : null;
    }

    /// <summary>The channels of each input.</summary>
    public int InChannels { get; }

    /// <summary>The channels of each output.</summary>
    public int OutChannels { get; }

    /// <summary>The kernel (kh, kw).</summary>
    public Size2 KernelSize { get; }

    /// <summary>The step between windows.</summary>
    public Size2 Stride { get; }

    /// <summary>The zeros added on both sides of each spatial axis.</summary>
    public Size2 Padding { get; }

    /// <summary>The spacing between kernel elements.</summary>
    public Size2 Dilation { get; }

    /// <summary>The element type of the parameters.</summary>
    public DType DType { get; }

    /// <summary>The weight, shape [out, in, kh, kw].</summary>
    public Parameter Weight { get; }

    /// <summary>The bias, shape [out], or null when built with <c>bias: false</c>.</summary>
    public Parameter? Bias { get; }

    /// <summary>Convolves <paramref name="input"/> with the weight and adds the bias.</summary>
    /// <param name="input">Shape [N, in, H, W].</param>
    /// <returns>Shape [N, out, outH, outW].</returns>
    /// <exception cref="ArgumentException">The input is not [N, in, H, W] of the layer's dtype, or is smaller than the
    /// dilated kernel once padded.</exception>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4 || input.Shape[1] != InChannels)
        {
            throw new ArgumentException($"{this}: input {input.Shape} is not [N, {InChannels}, H, W] (weight {Weight.Shape}).", nameof(input));
        }

        if (input.DType != DType)
        {
            throw new ArgumentException($"{this}: input {input.Shape} is {input.DType}; the layer's parameters are {DType}.", nameof(input));
        }

        return Tensor.Conv2d(input, Weight, Bias, Stride, Padding, Dilation);
    }

    /// <summary>The configuration, e.g. <c>Conv2d(in=3, out=16, kernel=(3, 3), stride=(1, 1), padding=(0, 0), dilation=(1, 1), bias=true)</c>.</summary>
    public override string ToString() =>
        $"Conv2d(in={InChannels}, out={OutChannels}, kernel={KernelSize}, stride={Stride}, padding={Padding}, dilation={Dilation}, "
        + $"bias={(Bias is null ? "false" : "true")})";
}
