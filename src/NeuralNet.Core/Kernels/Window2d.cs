namespace NeuralNet;

/// <summary>
/// Where the windows of a 2-D sliding-window op (unfold, fold, pooling) lie on an input plane of
/// <see cref="Height"/> × <see cref="Width"/>: window (oh, ow) reads rows oh·sh − ph + i·dh and columns
/// ow·sw − pw + j·dw for i &lt; kh, j &lt; kw; positions outside the plane are the padding.
/// </summary>
internal readonly record struct Window2d(int Height, int Width, Size2 Kernel, Size2 Stride, Size2 Padding, Size2 Dilation)
{
    /// <summary>The number of window rows: ⌊(H + 2ph − dh·(kh − 1) − 1) / sh⌋ + 1, PyTorch's formula.</summary>
    public int OutHeight => (int)Count(Height, Kernel.Height, Stride.Height, Padding.Height, Dilation.Height);

    /// <summary>The number of window columns, as <see cref="OutHeight"/> along the width.</summary>
    public int OutWidth => (int)Count(Width, Kernel.Width, Stride.Width, Padding.Width, Dilation.Width);

    /// <summary>The number of windows per plane, L = outH·outW.</summary>
    public int Windows => OutHeight * OutWidth;

    /// <summary>The elements of one window, kh·kw.</summary>
    public int KernelSize => Kernel.Height * Kernel.Width;

    /// <summary>
    /// The windows of a kernel on an input plane, with the parameters checked; every message names
    /// <paramref name="op"/> and <paramref name="input"/>, the shape the plane belongs to.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A kernel size, stride or dilation is not positive, or a padding is negative.</exception>
    /// <exception cref="ArgumentException">The dilated kernel is larger than the padded input.</exception>
    public static Window2d Checked(string op, Shape input, int height, int width, Size2 kernel, Size2 stride, Size2 padding, Size2 dilation)
    {
        Positive(op, "kernel size", nameof(kernel), kernel, input);
        Positive(op, "stride", nameof(stride), stride, input);
        Positive(op, "dilation", nameof(dilation), dilation, input);
        if (padding.Height < 0 || padding.Width < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(padding), $"{op}: padding {padding} for input {input} must not be negative.");
        }

        var window = new Window2d(height, width, kernel, stride, padding, dilation);
        long spanH = ((long)dilation.Height * (kernel.Height - 1)) + 1, spanW = ((long)dilation.Width * (kernel.Width - 1)) + 1;
        if (spanH > height + (2L * padding.Height) || spanW > width + (2L * padding.Width))
        {
            throw new ArgumentException(
                $"{op}: kernel {kernel} with dilation {dilation} spans {spanH}×{spanW}, larger than the {height}×{width} plane padded by "
                + $"{padding} ({height + (2L * padding.Height)}×{width + (2L * padding.Width)}); input {input}.");
        }

        window.CheckFits(op, input);
        return window;
    }

    /// <summary>
    /// Checks, for windows whose span fits the padded plane, that the padded plane's sides, the windows of a plane and
    /// their elements all fit the <c>int</c>s the kernels index with: without it a huge padding or kernel would wrap
    /// around and give a silently wrong size.
    /// </summary>
    /// <exception cref="ArgumentException">One plane's windows hold more elements than an array can.</exception>
    public void CheckFits(string op, Shape input)
    {
        // Each count is at most its padded side, so once both sides fit an int and each factor fits an array, every
        // product checked here stays below 2⁶² and cannot overflow a long.
        long outHeight = Count(Height, Kernel.Height, Stride.Height, Padding.Height, Dilation.Height);
        long outWidth = Count(Width, Kernel.Width, Stride.Width, Padding.Width, Dilation.Width);
        long kernelSize = (long)Kernel.Height * Kernel.Width;
        bool fits = Height + (2L * Padding.Height) <= int.MaxValue && Width + (2L * Padding.Width) <= int.MaxValue
            && kernelSize <= Array.MaxLength && outHeight * outWidth <= Array.MaxLength
            && outHeight * outWidth * kernelSize <= Array.MaxLength;
        if (!fits)
        {
            throw new ArgumentException(
                $"{op}: kernel {Kernel} with padding {Padding} on the {Height}×{Width} planes of input {input} gives {outHeight}×{outWidth} "
                + $"windows of {kernelSize} elements, more than an array can hold ({Array.MaxLength}).");
        }
    }

    private static long Count(int size, int kernel, int stride, int padding, int dilation) =>
        ((size + (2L * padding) - ((long)dilation * (kernel - 1)) - 1) / stride) + 1;

    private static void Positive(string op, string what, string name, Size2 value, Shape input)
    {
        if (value.Height <= 0 || value.Width <= 0)
        {
            throw new ArgumentOutOfRangeException(name, $"{op}: {what} {value} for input {input} must be positive.");
        }
    }
}
