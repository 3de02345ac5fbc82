namespace NeuralNet.Layers;

/// <summary>
/// Average pooling over the planes of [N, C, H, W] inputs, PyTorch's <c>nn.AvgPool2d</c> with its defaults
/// (<c>count_include_pad=True</c>: padded zeros count in each mean); no parameters. See <see cref="Tensor.AvgPool2d"/>.
/// </summary>
public sealed class AvgPool2d : Module
{
    /// <summary>Creates a pooling layer.</summary>
    /// <param name="kernelSize">The window (kh, kw); an int n means (n, n).</param>
    /// <param name="stride">The step between windows; null for the kernel size, PyTorch's default.</param>
    /// <param name="padding">The zero padding on both sides, at most half the kernel; null for 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A kernel size or stride is not positive, or a padding is negative or
    /// more than half the kernel.</exception>
    public AvgPool2d(Size2 kernelSize, Size2? stride = null, Size2? padding = null)
    {
        KernelSize = WindowArguments.Positive(nameof(AvgPool2d), nameof(kernelSize), kernelSize);
        Stride = WindowArguments.Positive(nameof(AvgPool2d), nameof(stride), stride ?? kernelSize);
        Padding = WindowArguments.Padding(nameof(AvgPool2d), padding ?? 0, kernelSize, halfKernel: true);
    }

    /// <summary>The window (kh, kw).</summary>
    public Size2 KernelSize { get; }

    /// <summary>The step between windows.</summary>
    public Size2 Stride { get; }

    /// <summary>The zero padding on both sides of each spatial axis.</summary>
    public Size2 Padding { get; }

    /// <summary>The mean of every window of each plane of <paramref name="input"/> [N, C, H, W].</summary>
    /// <returns>Shape [N, C, outH, outW].</returns>
    /// <exception cref="ArgumentException">The input is not rank 4, or is smaller than the window once padded.</exception>
    public override Tensor Forward(Tensor input) => Tensor.AvgPool2d(input, KernelSize, Stride, Padding);

    /// <summary>The configuration, e.g. <c>AvgPool2d(kernel=(2, 2), stride=(2, 2), padding=(0, 0))</c>.</summary>
    public override string ToString() => $"AvgPool2d(kernel={KernelSize}, stride={Stride}, padding={Padding})";
}
