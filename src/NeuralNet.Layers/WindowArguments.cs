namespace NeuralNet.Layers;

/// <summary>Constructor checks of the sliding-window layers, so a bad kernel, stride or padding fails where the layer is built.</summary>
internal static class WindowArguments
{
    /// <summary>Checks that both values of <paramref name="value"/> are positive.</summary>
    /// <exception cref="ArgumentOutOfRangeException">One is zero or negative.</exception>
    public static Size2 Positive(string layer, string name, Size2 value)
    {
        if (value.Height <= 0 || value.Width <= 0)
        {
            throw new ArgumentOutOfRangeException(name, $"{layer}: {name} {value} must be positive.");
        }

        return value;
    }

    /// <summary>Checks that a padding is non-negative and, for a pooling layer (<paramref name="halfKernel"/>), at most half
    /// of <paramref name="kernel"/>, as PyTorch requires.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The padding is negative or, for pooling, more than half the kernel.</exception>
    public static Size2 Padding(string layer, Size2 padding, Size2 kernel, bool halfKernel)
    {
        if (padding.Height < 0 || padding.Width < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(padding), $"{layer}: padding {padding} must not be negative.");
        }

        if (halfKernel && (padding.Height > kernel.Height / 2 || padding.Width > kernel.Width / 2))
        {
            throw new ArgumentOutOfRangeException(nameof(padding), $"{layer}: padding {padding} must be at most half the kernel {kernel}.");
        }

        return padding;
    }
}
