namespace NeuralNet;

// The affine map of a fully connected layer as one op: the product and the bias in one pass over the output.
public partial class Tensor
{
    /// <summary>
    /// The affine map input·weightᵀ + bias applied to the last axis (PyTorch's <c>F.linear</c>), as one op.
    /// </summary>
    /// <param name="input">Shape [..., in]: one row [in], a batch [n, in], or more leading axes.</param>
    /// <param name="weight">Shape [out, in]; read transposed in place by the matrix-product kernel, never copied.</param>
    /// <param name="bias">Shape [out], or null for none.</param>
    /// <returns>Shape [..., out].</returns>
    /// <remarks>
    /// <para>The kernel writes each output row's bias first and lets the matrix product accumulate onto it, so the
    /// bias costs no pass and no tensor of its own (a <c>MatMul</c> followed by <c>+ bias</c> makes two).</para>
    /// <para>VJP (G the output cotangent as [n, out]): ∂/∂input = G·W, ∂/∂weight = Gᵀ·input, ∂/∂bias = Σ over rows of
    /// G. JVP: inpuṫ·Wᵀ + input·Ẇᵀ + ḃ. Both are written with differentiable ops, so the op nests to any order.</para>
    /// </remarks>
    /// <exception cref="ArgumentException">The shapes do not fit or the dtypes differ.</exception>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null)
    {
        const string op = nameof(Linear);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.Rank != 2 || input.Rank == 0 || input.Shape[-1] != weight.Shape[1]
            || (bias is not null && (bias.Rank != 1 || bias.Shape[0] != weight.Shape[0])))
        {
            throw new ArgumentException(
                $"{op}: input {input.Shape}, weight {weight.Shape}, bias {(bias is null ? "none" : bias.Shape.ToString())}: "
                + "expected [..., in], [out, in] and [out].");
        }

        OpChecks.SameDType(op, input, weight);
        if (bias is not null)
        {
            OpChecks.SameDType(op, input, bias);
        }

        return Apply(LinearOp.Plain, input, weight, bias);
    }

    /// <summary>
    /// relu(<see cref="Linear"/>(input, weight, bias)) as one op: the matrix product applies max(·, 0) as it stores each
    /// tile of the output, so the activation costs no pass, no tensor and no tape node of its own. The values, the
    /// gradients and the tangents are those of the two ops applied in turn; <c>Sequential</c> uses it for a
    /// <c>Dense</c> followed by a <c>ReLU</c>. The arguments are checked by the caller.
    /// </summary>
    /// <remarks>VJP: with G' = G ⊙ 1[y &gt; 0] (the ReLU's backward, read off the output: y &gt; 0 exactly where the
    /// pre-activation is), Linear's VJP of G'. JVP: 1[y &gt; 0] ⊙ Linear's JVP. Both in differentiable ops.</remarks>
    internal static Tensor LinearRelu(Tensor input, Tensor weight, Tensor? bias) => Apply(LinearOp.Rectified, input, weight, bias);

    /// <summary>Applies one of the linear ops to a matrix of rows: leading axes are folded into one (a view), and
    /// unfolded after. A batch of rows, every Dense layer's case, needs neither.</summary>
    private static Tensor Apply(LinearOp op, Tensor input, Tensor weight, Tensor? bias)
    {
        if (input.Rank == 2)
        {
            return bias is null ? Dispatcher.Apply(op, input, weight) : Dispatcher.Apply(op, input, weight, bias);
        }

        int features = weight.Shape[1], outputs = weight.Shape[0];
        int[] dims = input.Shape.ToArray();
        int rowCount = new Shape(dims[..^1]).Size;
        Tensor rows = input.Reshape(rowCount, features);
        Tensor y = Apply(op, rows, weight, bias);
        dims[^1] = outputs;
        return y.Reshape(dims);
    }

    /// <summary>Y = X·Wᵀ (+ b) on X [n, in], W [out, in], b [out]; rectified, Y = max(X·Wᵀ (+ b), 0).</summary>
    private sealed class LinearOp(bool rectified) : Op
    {
        public static readonly LinearOp Plain = new(rectified: false), Rectified = new(rectified: true);

        public override string Name => rectified ? "LinearRelu" : nameof(Linear);

        // ∂/∂X reads W, ∂/∂W reads X; the bias's cotangent reads neither. The rectified op's mask reads the output.
        public override bool SavesInput(int index, bool[] needed) => index switch
        {
            0 => needed[1],
            1 => needed[0],
            _ => false,
        };

        public override bool SavesOutput(bool[] needed) => rectified;

        public override Tensor Forward(Tensor[] inputs) =>
            MatMulKernel.Affine(inputs[0], inputs[1], inputs.Length > 2 ? inputs[2] : null, rectified);

        public override bool ForwardInto(Tensor[] inputs, Tensor output)
        {
            MatMulKernel.AffineInto(inputs[0], inputs[1], inputs.Length > 2 ? inputs[2] : null, rectified, output.Data);
            return true;
        }

        // The ReLU's mask is applied once, then shared by every input's cotangent.
        public override Tensor?[] Vjps(Tensor cotangent, Tensor[] inputs, Tensor output, bool[] needed) =>
            base.Vjps(Masked(cotangent, output), inputs, output, needed);

        public override Tensor? Vjp(int index, Tensor cotangent, Tensor[] inputs, Tensor output) => index switch
        {
            0 => MatMul(cotangent, inputs[1]),
            1 => MatMul(cotangent, inputs[0], transposeA: true),
            _ => cotangent.Sum(0),
        };

        public override Tensor? Jvps(Tensor?[] tangents, Tensor[] inputs, Tensor output) =>
            base.Jvps(tangents, inputs, output) is { } tangent ? Masked(tangent, output) : null;

        public override Tensor? Jvp(int index, Tensor tangent, Tensor[] inputs, Tensor output) => index switch
        {
            0 => MatMul(tangent, inputs[1], transposeB: true),
            1 => MatMul(inputs[0], tangent, transposeB: true),
            _ => tangent.BroadcastTo(output.Shape),
        };

        /// <summary>g ⊙ 1[y &gt; 0] for the rectified op (ReLU's own backward op, read off its output), g otherwise.</summary>
        private Tensor Masked(Tensor g, Tensor output) =>
            rectified ? Dispatcher.Apply(ReluGradientOp.Instance, g, output) : g;
    }
}
