namespace NeuralNet;

// The sliding-window gather Unfold (im2col) and its adjoint Fold (col2im). Both are linear, and each one's VJP is the
// other, itself differentiable, so derivatives of any order nest; a convolution is an Unfold and one matrix product.
public partial class Tensor
{
    /// <summary>
    /// The sliding windows of <paramref name="input"/> as columns (PyTorch's <c>F.unfold</c>, im2col): [N, C, H, W] gives
    /// [N, C·kh·kw, L], where column l = oh·outW + ow holds window (oh, ow) and row (c·kh + i)·kw + j its element
    /// input[n, c, oh·sh − ph + i·dh, ow·sw − pw + j·dw] (0 in the padding).
    /// </summary>
    /// <param name="input">Shape [N, C, H, W].</param>
    /// <param name="kernelSize">The window (kh, kw); an int n means (n, n).</param>
    /// <param name="dilation">The spacing (dh, dw) between window elements; null for 1.</param>
    /// <param name="padding">Zeros (ph, pw) added on both sides of each spatial axis; null for 0.</param>
    /// <param name="stride">The step (sh, sw) between windows; null for 1.</param>
    /// <returns>Shape [N, C·kh·kw, L], L = outH·outW with outH = ⌊(H + 2ph − dh·(kh − 1) − 1) / sh⌋ + 1 (and outW alike).</returns>
    /// <remarks>The parameters come in PyTorch's order (dilation before padding and stride). Linear: the VJP is
    /// <see cref="Fold"/> of g to the input's size; the JVP unfolds the tangent.</remarks>
    /// <exception cref="ArgumentException">The input is not rank 4, the dilated kernel is larger than the padded input,
    /// or the result would not fit an array.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A kernel size, dilation or stride is not positive, or a padding is negative.</exception>
    public static Tensor Unfold(Tensor input, Size2 kernelSize, Size2? dilation = null, Size2? padding = null, Size2? stride = null)
    {
        const string op = "Unfold";
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4)
        {
            throw new ArgumentException($"{op}: input {input.Shape} must be [N, C, H, W].", nameof(input));
        }

        Window2d window = Window2d.Checked(
            op, input.Shape, input.Shape[2], input.Shape[3], kernelSize, stride ?? 1, padding ?? 0, dilation ?? 1);
        CheckWindowsFit(op, input.Shape, input.Shape[0], (long)input.Shape[1] * window.KernelSize, window.Windows);
        return Dispatcher.Apply(new UnfoldOp(window), input);
    }

    /// <summary>
    /// Sums sliding-window columns back into planes (PyTorch's <c>F.fold</c>, col2im), the adjoint of <see cref="Unfold"/>:
    /// [N, C·kh·kw, L] gives [N, C, H, W], each element added at the position <see cref="Unfold"/> read it from, so
    /// overlapping windows add up and elements in the padding are dropped.
    /// </summary>
    /// <param name="input">Shape [N, C·kh·kw, L] with L the number of windows on an <paramref name="outputSize"/> plane.</param>
    /// <param name="outputSize">The plane (H, W) of the result.</param>
    /// <param name="kernelSize">The window (kh, kw); an int n means (n, n).</param>
    /// <param name="dilation">The spacing (dh, dw) between window elements; null for 1.</param>
    /// <param name="padding">The padding (ph, pw) the windows were taken with; null for 0.</param>
    /// <param name="stride">The step (sh, sw) between windows; null for 1.</param>
    /// <returns>Shape [N, C, H, W].</returns>
    /// <remarks>Fold(Unfold(x)) is x times how many windows hold each element, not x: the two are adjoint, not
    /// inverse. Linear: the VJP is <see cref="Unfold"/> of g; the JVP folds the tangent.</remarks>
    /// <exception cref="ArgumentException">The input is not rank 3, its rows are not a multiple of kh·kw, its columns are
    /// not the number of windows, or the dilated kernel is larger than the padded plane.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An output size, kernel size, dilation or stride is not positive, or a
    /// padding is negative.</exception>
    public static Tensor Fold(
        Tensor input, Size2 outputSize, Size2 kernelSize, Size2? dilation = null, Size2? padding = null, Size2? stride = null)
    {
        const string op = "Fold";
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 3)
        {
            throw new ArgumentException($"{op}: input {input.Shape} must be [N, C·kh·kw, L].", nameof(input));
        }

        if (outputSize.Height <= 0 || outputSize.Width <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(outputSize), $"{op}: output size {outputSize} for input {input.Shape} must be positive.");
        }

        Window2d window = Window2d.Checked(
            op, input.Shape, outputSize.Height, outputSize.Width, kernelSize, stride ?? 1, padding ?? 0, dilation ?? 1);
        if (input.Shape[1] % window.KernelSize != 0 || input.Shape[2] != window.Windows)
        {
            throw new ArgumentException(
                $"{op}: input {input.Shape} must be [N, C·{window.KernelSize}, {window.Windows}] for kernel {kernelSize} on output size "
                + $"{outputSize} ({window.OutHeight}×{window.OutWidth} windows).",
                nameof(input));
        }

        int channels = input.Shape[1] / window.KernelSize;
        CheckWindowsFit(op, input.Shape, input.Shape[0], (long)channels * outputSize.Height * outputSize.Width, 1);
        return Dispatcher.Apply(new FoldOp(window, channels), input);
    }

    /// <summary>Checks that a result of batch × rows × columns elements fits an array, before a kernel indexes it with ints.</summary>
    private static void CheckWindowsFit(string op, Shape input, long batch, long rows, long columns)
    {
        long size = batch * rows * columns;
        if (size > Array.MaxLength)
        {
            throw new ArgumentException($"{op}: input {input} would give {size} elements, more than an array can hold ({Array.MaxLength}).");
        }
    }

    /// <summary>Input [N, C, H, W] to its windows' columns [N, C·kh·kw, L].</summary>
    private sealed class UnfoldOp(Window2d window) : LinearUnaryOp
    {
        public override string Name => "Unfold";

        public override Tensor Forward(Tensor[] inputs) => Im2Col.Unfold(inputs[0], window);

        public override bool ForwardInto(Tensor[] inputs, Tensor output)
        {
            Im2Col.UnfoldInto(inputs[0], window, output.Data);
            return true;
        }

        public override Tensor? Vjp(int index, Tensor cotangent, Tensor[] inputs, Tensor output) =>
            Dispatcher.Apply(new FoldOp(window, inputs[0].Shape[1]), cotangent);
    }

    /// <summary>Columns [N, C·kh·kw, L] summed into planes [N, C, H, W].</summary>
    private sealed class FoldOp(Window2d window, int channels) : LinearUnaryOp
    {
        public override string Name => "Fold";

        public override Tensor Forward(Tensor[] inputs) => Im2Col.Fold(inputs[0], window, channels);

        public override bool ForwardInto(Tensor[] inputs, Tensor output)
        {
            Im2Col.FoldInto(inputs[0], window, channels, output.Data);
            return true;
        }

        public override Tensor? Vjp(int index, Tensor cotangent, Tensor[] inputs, Tensor output) =>
            Dispatcher.Apply(new UnfoldOp(window), cotangent);
    }
}
