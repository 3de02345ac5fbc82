namespace NeuralNet;

// Pooling over the planes of [N, C, H, W]: MaxPool2d, its own op whose rules gather and scatter at the arg-max (one
// element per window, as PyTorch), and AvgPool2d, composed from Unfold and a mean.
public partial class Tensor
{
    /// <summary>
    /// The maximum of every window of each plane (PyTorch's <c>F.max_pool2d</c>): y[n, c, oh, ow] is the largest
    /// x[n, c, oh·sh − ph + i·dh, ow·sw − pw + j·dw] over i &lt; kh, j &lt; kw, with the padding −∞.
    /// </summary>
    /// <param name="input">Shape [N, C, H, W].</param>
    /// <param name="kernelSize">The window (kh, kw); an int n means (n, n).</param>
    /// <param name="stride">The step (sh, sw) between windows; null for the kernel size, PyTorch's default.</param>
    /// <param name="padding">The −∞ padding (ph, pw) on both sides, at most half the kernel (as PyTorch requires); null for 0.</param>
    /// <param name="dilation">The spacing (dh, dw) between window elements; null for 1.</param>
    /// <returns>Shape [N, C, outH, outW] with outH = ⌊(H + 2ph − dh·(kh − 1) − 1) / sh⌋ + 1, and outW alike.</returns>
    /// <remarks>
    /// <para>The gradient of each window goes to one element, its arg-max: the first maximum in row-major window order,
    /// as PyTorch's <c>max_pool2d_with_indices</c>. Ties are not split (the <see cref="Max(int[], bool)"/> reduction
    /// splits them): after a ReLU a window of zeros is common, and its whole gradient goes to its first element.
    /// NaN propagates: a window holding NaN gives NaN, and its gradient goes to the (last) NaN, as PyTorch's CPU kernel.
    /// A window of padding only (which dilation makes possible) is −∞ and passes no gradient.</para>
    /// <para>VJP: g scattered (added) to the arg-max positions; JVP: the tangent gathered at them. Scatter and gather are
    /// linear ops, each the other's VJP, so the rules nest to any order. The arg-max is recomputed whenever the op's
    /// kernel runs, which is how a captured step's replay follows new values.</para>
    /// <para><c>ceil_mode</c>, <c>return_indices</c> and PyTorch's unbatched [C, H, W] input are not supported.</para>
    /// </remarks>
    /// <exception cref="ArgumentException">The input is not rank 4, or the dilated kernel is larger than the padded input.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A kernel size, stride or dilation is not positive, or a padding is
    /// negative or more than half the kernel.</exception>
    public static Tensor MaxPool2d(Tensor input, Size2 kernelSize, Size2? stride = null, Size2? padding = null, Size2? dilation = null)
    {
        Window2d window = PoolWindow("MaxPool2d", input, kernelSize, stride, padding, dilation ?? 1);
        var op = new MaxPool2dOp(window, input.Shape);
        Tensor y = Dispatcher.Apply(op, input);
        op.ReturnArgMaxUnlessRecorded(y);
        return y;
    }

    /// <summary>
    /// The mean of every window of each plane (PyTorch's <c>F.avg_pool2d</c> with <c>count_include_pad=True</c>, its
    /// default): y[n, c, oh, ow] = Σ x[n, c, oh·sh − ph + i, ow·sw − pw + j] / (kh·kw) over i &lt; kh, j &lt; kw, the
    /// zero padding counted in the mean.
    /// </summary>
    /// <param name="input">Shape [N, C, H, W].</param>
    /// <param name="kernelSize">The window (kh, kw); an int n means (n, n).</param>
    /// <param name="stride">The step (sh, sw) between windows; null for the kernel size, PyTorch's default.</param>
    /// <param name="padding">Zeros (ph, pw) on both sides, at most half the kernel (as PyTorch requires); null for 0.</param>
    /// <returns>Shape [N, C, outH, outW] with outH = ⌊(H + 2ph − kh) / sh⌋ + 1, and outW alike.</returns>
    /// <remarks>Composed as <see cref="Unfold"/> and a <see cref="Mean(int, bool)"/> over each window, so linear, with the
    /// derivatives of those ops. <c>ceil_mode</c>, <c>count_include_pad=False</c>, <c>divisor_override</c> and unbatched [C, H, W] input are not supported.</remarks>
    /// <exception cref="ArgumentException">The input is not rank 4, or the kernel is larger than the padded input.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A kernel size or stride is not positive, or a padding is negative or
    /// more than half the kernel.</exception>
    public static Tensor AvgPool2d(Tensor input, Size2 kernelSize, Size2? stride = null, Size2? padding = null)
    {
        Window2d window = PoolWindow("AvgPool2d", input, kernelSize, stride, padding, 1);
        int batch = input.Shape[0], channels = input.Shape[1];
        Tensor columns = Dispatcher.Apply(new UnfoldOp(window), input);

        // A mean, as Mean(2) computes it; nothing outside the pool sees the columns or the sums, so they go back with the
        // step that recorded the pool, or at once when nothing did.
        Tensor sums = columns.Reshape(batch, channels, window.KernelSize, window.Windows).Sum(2);
        Tensor mean = sums / window.KernelSize;
        Tape.RecycleTemporary(mean, columns);
        Tape.RecycleTemporary(mean, sums);
        return mean.Reshape(batch, channels, window.OutHeight, window.OutWidth);
    }

    /// <summary>The checked windows of a pooling op: PyTorch's checks, including a padding of at most half the kernel.</summary>
    private static Window2d PoolWindow(string op, Tensor input, Size2 kernelSize, Size2? stride, Size2? padding, Size2 dilation)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4)
        {
            throw new ArgumentException($"{op}: input {input.Shape} must be [N, C, H, W].", nameof(input));
        }

        Size2 pad = padding ?? 0;
        Window2d window = Window2d.Checked(op, input.Shape, input.Shape[2], input.Shape[3], kernelSize, stride ?? kernelSize, pad, dilation);
        if (pad.Height > kernelSize.Height / 2 || pad.Width > kernelSize.Width / 2)
        {
            throw new ArgumentOutOfRangeException(
                nameof(padding), $"{op}: padding {pad} for kernel {kernelSize} must be at most half the kernel; input {input.Shape}.");
        }

        CheckWindowsFit(op, input.Shape, input.Shape[0], (long)input.Shape[1] * window.KernelSize, window.Windows);
        return window;
    }

    /// <summary>Max pooling; the rules read only the arg-max, which the kernel writes, so the tape saves no values.</summary>
    private sealed class MaxPool2dOp(Window2d window, Shape input) : Op
    {
        // Allocated by the first run of the kernel, pooled and owned by the step like its tensors; every later run (a
        // captured step's replay, through ForwardInto) rewrites it in place, and the gather and scatter ops of the rules
        // hold it, so they follow the new arg-max.
        private Storage? _argMax;

        public override string Name => "MaxPool2d";

        public override bool SavesInput(int index, bool[] needed) => false;

        public override bool SavesOutput(bool[] needed) => false;

        public override Tensor Forward(Tensor[] inputs) => PoolKernel.Max(inputs[0], window, ArgMax());

        public override bool ForwardInto(Tensor[] inputs, Tensor output)
        {
            PoolKernel.MaxInto(inputs[0], window, ArgMax(), output.Data);
            return true;
        }

        public override Tensor? Vjp(int index, Tensor cotangent, Tensor[] inputs, Tensor output) =>
            Dispatcher.Apply(new ArgMaxScatterOp(_argMax!, input, output.Shape), cotangent);

        public override Tensor? Jvp(int index, Tensor tangent, Tensor[] inputs, Tensor output) =>
            Dispatcher.Apply(new ArgMaxGatherOp(_argMax!, input, output.Shape), tangent);

        /// <summary>Gives the arg-max back at once when no tape or capture recorded this pool: no rule will read it.</summary>
        public void ReturnArgMaxUnlessRecorded(Tensor output)
        {
            if (_argMax is not null)
            {
                Tape.ReturnKeptUnlessRecorded(output, _argMax);
            }
        }

        private int[] ArgMax() => ArgMaxOf(_argMax ??= Tape.AllocateKept<int>(input[0] * input[1] * window.Windows));
    }

    /// <summary>The input [N, C, H, W] at each window's arg-max, shaped as the pooled output (0 for a window of padding only).</summary>
    private sealed class ArgMaxGatherOp(Storage argMax, Shape input, Shape pooled) : LinearUnaryOp
    {
        public override string Name => "MaxPool2dGather";

        public override Tensor Forward(Tensor[] inputs) => PoolKernel.Gather(inputs[0], ArgMaxOf(argMax), pooled);

        public override bool ForwardInto(Tensor[] inputs, Tensor output)
        {
            PoolKernel.GatherInto(inputs[0], ArgMaxOf(argMax), output.Data);
            return true;
        }

        public override Tensor? Vjp(int index, Tensor cotangent, Tensor[] inputs, Tensor output) =>
            Dispatcher.Apply(new ArgMaxScatterOp(argMax, input, pooled), cotangent);
    }

    /// <summary>A pooled-shaped tensor added into zeros of the input's shape at the arg-max positions: the gather's adjoint.</summary>
    private sealed class ArgMaxScatterOp(Storage argMax, Shape input, Shape pooled) : LinearUnaryOp
    {
        public override string Name => "MaxPool2dScatter";

        public override Tensor Forward(Tensor[] inputs) => PoolKernel.ScatterAdd(inputs[0], ArgMaxOf(argMax), input);

        public override bool ForwardInto(Tensor[] inputs, Tensor output)
        {
            PoolKernel.ScatterAddInto(inputs[0], ArgMaxOf(argMax), output.Data);
            return true;
        }

        public override Tensor? Vjp(int index, Tensor cotangent, Tensor[] inputs, Tensor output) =>
            Dispatcher.Apply(new ArgMaxGatherOp(argMax, input, pooled), cotangent);
    }

    /// <summary>The arg-max a max pool kept; it throws once the step that owned it has given it back.</summary>
    private static int[] ArgMaxOf(Storage argMax) => (int[])argMax.DataFor("MaxPool2d's arg-max");
}
