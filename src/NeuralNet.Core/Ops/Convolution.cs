namespace NeuralNet;

// Convolutions (PyTorch's F.conv2d and F.conv1d) composed from Unfold and one matrix product, so their derivatives,
// of every order and in both modes, are those of the parts.
public partial class Tensor
{
    /// <summary>
    /// The 2-D convolution of <paramref name="input"/> with <paramref name="weight"/> (PyTorch's <c>F.conv2d</c>, a
    /// cross-correlation as in every deep-learning library): y[n, o, oh, ow] = b[o] + Σ over c, i, j of
    /// w[o, c, i, j] · x[n, c, oh·sh − ph + i·dh, ow·sw − pw + j·dw], zero in the padding.
    /// </summary>
    /// <param name="input">Shape [N, C, H, W].</param>
    /// <param name="weight">Shape [out, C, kh, kw].</param>
    /// <param name="bias">Shape [out], or null for none.</param>
    /// <param name="stride">The step (sh, sw) between windows; an int n means (n, n); null for 1.</param>
    /// <param name="padding">Zeros (ph, pw) added on both sides of each spatial axis; null for 0.</param>
    /// <param name="dilation">The spacing (dh, dw) between kernel elements; null for 1.</param>
    /// <returns>Shape [N, out, outH, outW] with outH = ⌊(H + 2ph − dh·(kh − 1) − 1) / sh⌋ + 1, and outW alike.</returns>
    /// <remarks>
    /// <para>Computed as im2col: each image's windows become the columns of a matrix [C·kh·kw, L] (<see cref="Unfold"/>),
    /// which the weight as a matrix [out, C·kh·kw] multiplies image by image, the bias written first, straight into
    /// [N, out, L], the output's own layout, so nothing is permuted. Its derivatives are those ops': the input's cotangent
    /// is a <see cref="Fold"/> of Wᵀ·G[n], the weight's the sum over images of G[n] times the windows transposed.</para>
    /// <para>Groups (PyTorch's <c>groups</c>), padding modes other than zeros and string paddings are not supported, nor is
    /// PyTorch's unbatched [C, H, W] input: give one image a batch axis with <c>Unsqueeze(0)</c>.</para>
    /// </remarks>
    /// <exception cref="ArgumentException">The ranks are wrong, the channels of input and weight differ, the bias is not
    /// [out], the dtypes differ, or the dilated kernel is larger than the padded input.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A stride or dilation is not positive, or a padding is negative.</exception>
    public static Tensor Conv2d(
        Tensor input, Tensor weight, Tensor? bias = null, Size2? stride = null, Size2? padding = null, Size2? dilation = null)
    {
        const string op = "Conv2d";
        CheckConvolution(op, input, weight, bias, rank: 4, "[N, C, H, W]", "[out, C, kh, kw]");
        Window2d window = Window2d.Checked(
            op, input.Shape, input.Shape[2], input.Shape[3], (weight.Shape[2], weight.Shape[3]), stride ?? 1, padding ?? 0, dilation ?? 1);
        return Convolve(op, input, weight, bias, window);
    }

    /// <summary>
    /// The 1-D convolution of <paramref name="input"/> with <paramref name="weight"/> (PyTorch's <c>F.conv1d</c>):
    /// y[n, o, t] = b[o] + Σ over c, j of w[o, c, j] · x[n, c, t·stride − padding + j·dilation], zero in the padding.
    /// </summary>
    /// <param name="input">Shape [N, C, L].</param>
    /// <param name="weight">Shape [out, C, k].</param>
    /// <param name="bias">Shape [out], or null for none.</param>
    /// <param name="stride">The step between windows; positive.</param>
    /// <param name="padding">Zeros added at both ends; non-negative.</param>
    /// <param name="dilation">The spacing between kernel elements; positive.</param>
    /// <returns>Shape [N, out, Lout] with Lout = ⌊(L + 2·padding − dilation·(k − 1) − 1) / stride⌋ + 1.</returns>
    /// <remarks>A <see cref="Conv2d"/> on planes of height 1 (reshapes, no copies), so its derivatives are Conv2d's.
    /// Groups and PyTorch's unbatched [C, L] input are not supported.</remarks>
    /// <exception cref="ArgumentException">The ranks are wrong, the channels of input and weight differ, the bias is not
    /// [out], the dtypes differ, or the dilated kernel is longer than the padded input.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The stride or dilation is not positive, or the padding is negative.</exception>
    public static Tensor Conv1d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0, int dilation = 1)
    {
        const string op = "Conv1d";
        CheckConvolution(op, input, weight, bias, rank: 3, "[N, C, L]", "[out, C, k]");
        if (stride <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(stride), $"{op}: stride {stride} for input {input.Shape} must be positive.");
        }

        if (dilation <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(dilation), $"{op}: dilation {dilation} for input {input.Shape} must be positive.");
        }

        if (padding < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(padding), $"{op}: padding {padding} for input {input.Shape} must not be negative.");
        }

        int length = input.Shape[2], kernel = weight.Shape[2];
        long span = ((long)dilation * (kernel - 1)) + 1;
        if (span > length + (2L * padding))
        {
            throw new ArgumentException(
                $"{op}: kernel {kernel} of weight {weight.Shape} with dilation {dilation} spans {span}, longer than input {input.Shape} "
                + $"padded by {padding} ({length + (2L * padding)}).");
        }

        var window = new Window2d(1, length, (1, kernel), (1, stride), (0, padding), (1, dilation));
        window.CheckFits(op, input.Shape);
        Tensor planes = input.Reshape(input.Shape[0], input.Shape[1], 1, length);
        Tensor y = Convolve(op, planes, weight.Reshape(weight.Shape[0], weight.Shape[1], 1, kernel), bias, window);
        return y.Reshape(y.Shape[0], y.Shape[1], y.Shape[3]);
    }

    /// <summary>Checks the operands of a convolution of <paramref name="rank"/>: input, weight and bias shapes, and one dtype.</summary>
    private static void CheckConvolution(string op, Tensor input, Tensor weight, Tensor? bias, int rank, string inputForm, string weightForm)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        if (input.Rank != rank || weight.Rank != rank)
        {
            throw new ArgumentException($"{op}: input {input.Shape} and weight {weight.Shape} must be {inputForm} and {weightForm}.");
        }

        if (input.Shape[1] != weight.Shape[1])
        {
            throw new ArgumentException(
                $"{op}: input {input.Shape} has {input.Shape[1]} channels but weight {weight.Shape} expects {weight.Shape[1]} (groups are not supported).");
        }

        for (int axis = 2; axis < rank; axis++)
        {
            if (weight.Shape[axis] == 0)
            {
                throw new ArgumentException($"{op}: weight {weight.Shape} has an empty kernel.", nameof(weight));
            }
        }

        if (bias is not null && (bias.Rank != 1 || bias.Shape[0] != weight.Shape[0]))
        {
            throw new ArgumentException($"{op}: bias {bias.Shape} must be [{weight.Shape[0]}], one per output channel of weight {weight.Shape}.");
        }

        OpChecks.SameDType(op, input, weight);
        if (bias is not null)
        {
            OpChecks.SameDType(op, input, bias);
        }
    }

    /// <summary>The convolution of checked operands [N, C, H, W] and [out, C, kh, kw] over <paramref name="window"/>.</summary>
    private static Tensor Convolve(string op, Tensor input, Tensor weight, Tensor? bias, Window2d window)
    {
        int batch = input.Shape[0], outputs = weight.Shape[0], windows = window.Windows;
        int features = input.Shape[1] * window.KernelSize;
        CheckWindowsFit(op, input.Shape, batch, features, windows);
        CheckWindowsFit(op, input.Shape, batch, outputs, windows);
        Tensor columns = Dispatcher.Apply(new UnfoldOp(window), input);
        Tensor y = SharedLeft(weight.Reshape(outputs, features), false, columns, bias);

        // Nothing outside the convolution sees the columns (the weight's gradient reads them from the tape): the step
        // that recorded the product gives them back, and an unrecorded one at once.
        Tape.RecycleTemporary(y, columns);
        return y.Reshape(batch, outputs, window.OutHeight, window.OutWidth);
    }
}
