namespace NeuralNet;

/// <summary>
/// A (height, width) pair for the window parameters of the 2-D ops (kernel size, stride, padding, dilation), PyTorch's
/// <c>_size_2_t</c>: an <see cref="int"/> n converts to (n, n) and a tuple <c>(h, w)</c> to itself, so
/// <c>stride: 2</c> and <c>stride: (2, 1)</c> both work.
/// </summary>
/// <param name="Height">The value along the height axis (axis −2 of an [N, C, H, W] tensor).</param>
/// <param name="Width">The value along the width axis (axis −1).</param>
/// <remarks>The ops check the values (a kernel, stride or dilation must be positive, a padding non-negative), not the pair.</remarks>
public readonly record struct Size2(int Height, int Width)
{
    /// <summary>The square pair (n, n).</summary>
    public static implicit operator Size2(int n) => new(n, n);

    /// <summary>The pair (h, w).</summary>
    public static implicit operator Size2((int Height, int Width) pair) => new(pair.Height, pair.Width);

    /// <summary>The pair as PyTorch prints it, e.g. <c>(3, 2)</c>.</summary>
    public override string ToString() => $"({Height}, {Width})";
}
