namespace NeuralNet.Layers;

/// <summary>
/// Max pooling over the planes of [N, C, H, W] inputs, PyTorch's <c>nn.MaxPool2d</c>; no parameters. See
/// <see cref="Tensor.MaxPool2d"/>: the padding is −∞ and each window's gradient goes to its first maximum.
/// </summary>
public sealed class MaxPool2d : Module
{
    /// <summary>Creates a pooling layer.</summary>
    /// <param name="kernelSize">The window (kh, kw); an int n means (n, n).</param>
    /// <param name="stride">The step between windows; null for the kernel size, PyTorch's default.</param>
    /// <param name="padding">The −∞ padding on both sides, at most half the kernel; null for 0.</param>
    /// <param name="dilation">The spacing between window elements; null for 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A kernel size, stride or dilation is not positive, or a padding is
    /// negative or more than half the kernel.</exception>
    public MaxPool2d(Size2 kernelSize, Size2? stride = null, Size2? padding = null, Size2? dilation = null)
    {
        KernelSize = WindowArguments.Positive(nameof(MaxPool2d), nameof(kernelSize), kernelSize);
        Stride = WindowArguments.Positive(nameof(MaxPool2d), nameof(stride), stride ?? kernelSize);
        Padding = WindowArguments.Padding(nameof(MaxPool2d), padding ?? 0, kernelSize, halfKernel: true);
        Dilation = WindowArguments.Positive(nameof(MaxPool2d), nameof(dilation), dilation ?? 1);
    }

    /// <summary>The window (kh, kw).</summary>
    public Size2 KernelSize { get; }

    /// <summary>The step between windows.</summary>
    public Size2 Stride { get; }

    /// <summary>The −∞ padding on both sides of each spatial axis.</summary>
    public Size2 Padding { get; }

    /// <summary>The spacing between window elements.</summary>
    public Size2 Dilation { get; }

    /// <summary>The maximum of every window of each plane of <paramref name="input"/> [N, C, H, W].</summary>
    /// <returns>Shape [N, C, outH, outW].</returns>
    /// <exception cref="ArgumentException">The input is not rank 4, or is smaller than the dilated window once padded.</exception>
    public override Tensor Forward(Tensor input) => Tensor.MaxPool2d(input, KernelSize, Stride, Padding, Dilation);

    /// <summary>The configuration, e.g. <c>MaxPool2d(kernel=(2, 2), stride=(2, 2), padding=(0, 0), dilation=(1, 1))</c>.</summary>
    public override string ToString() => $"MaxPool2d(kernel={KernelSize}, stride={Stride}, padding={Padding}, dilation={Dilation})";
}
