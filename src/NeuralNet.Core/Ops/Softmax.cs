namespace NeuralNet;

// The softmax family over one axis: LogSumExp, Softmax and LogSoftmax. Each is a primitive with a fused,
// stable forward kernel (the axis max is subtracted before exp); its rules are written in differentiable ops
// and reuse the output.
public partial class Tensor
{
    /// <summary>
    /// log Σ exp(x) over <paramref name="axis"/>, computed stably as m + log Σ exp(x − m) with m the axis max, so
    /// large inputs (x ≈ 1000) do not overflow and very negative ones do not underflow to log 0.
    /// </summary>
    /// <param name="axis">The axis to reduce; negative values count from the end.</param>
    /// <param name="keepDims">Keep the reduced axis as size 1 (so the result broadcasts against the input).</param>
    /// <remarks>
    /// With s = softmax(x): VJP g·s (g broadcast over the axis); JVP Σ(s ⊙ t) over the axis.
    /// An empty axis gives −∞; a +∞ input gives +∞; NaN propagates.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range (a scalar has no axes).</exception>
    public Tensor LogSumExp(int axis = -1, bool keepDims = false) =>
        Dispatcher.Apply(new LogSumExpOp(SoftmaxAxis("LogSumExp", axis), keepDims), this);

    /// <summary>
    /// softmax(x)ᵢ = exp(xᵢ) / Σⱼ exp(xⱼ) over <paramref name="axis"/>, computed stably as exp(x − m) / Σ exp(x − m)
    /// with m the axis max: each slice along the axis is positive and sums to 1.
    /// </summary>
    /// <param name="axis">The axis to normalize over; negative values count from the end.</param>
    /// <remarks>With y the output: VJP y ⊙ (g − Σ(g ⊙ y)); JVP y ⊙ (t − Σ(t ⊙ y)), the sums over the axis.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range (a scalar has no axes).</exception>
    public Tensor Softmax(int axis = -1) => Dispatcher.Apply(new SoftmaxOp(SoftmaxAxis("Softmax", axis)), this);

    /// <summary>
    /// log softmax(x) = x − log Σ exp(x) over <paramref name="axis"/>, computed stably as (x − m) − log Σ exp(x − m):
    /// finite where softmax itself underflows to 0.
    /// </summary>
    /// <param name="axis">The axis to normalize over; negative values count from the end.</param>
    /// <remarks>With s = softmax(x) = exp(y): VJP g − s·Σg; JVP t − Σ(s ⊙ t), the sums over the axis.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range (a scalar has no axes).</exception>
    public Tensor LogSoftmax(int axis = -1) => Dispatcher.Apply(new LogSoftmaxOp(SoftmaxAxis("LogSoftmax", axis)), this);

    private int SoftmaxAxis(string op, int axis) => OpChecks.Axes(op, Shape, [axis])[0];

    private sealed class LogSumExpOp(int axis, bool keepDims) : Op
    {
        public override string Name => "LogSumExp";

        public override bool SavesOutput(bool[] needed) => false;

        public override Tensor Forward(Tensor[] inputs)
        {
            Tensor kept = SoftmaxKernel.Apply(inputs[0], axis, SoftmaxKernel.Form.LogSumExp);
            return keepDims ? kept : kept.WithShape(ReducedShape(inputs[0].Shape, [axis], keepDims: false));
        }

        // Not exp(x − y) from the output: at x ≈ 1000, y's own rounding (half an ulp of 1000 is 3e-5 in float32)
        // would become the relative error of every probability. Softmax shifts by the exact max instead.
        public override Tensor? Vjp(int index, Tensor cotangent, Tensor[] inputs, Tensor output) =>
            Kept(cotangent, inputs[0].Shape) * inputs[0].Softmax(axis);

        public override Tensor? Jvp(int index, Tensor tangent, Tensor[] inputs, Tensor output) =>
            (tangent * inputs[0].Softmax(axis)).Sum([axis], keepDims);

        private Tensor Kept(Tensor reduced, Shape input) =>
            keepDims ? reduced : reduced.Reshape(ReducedShape(input, [axis], keepDims: true));
    }

    private sealed class SoftmaxOp(int axis) : Op
    {
        public override string Name => "Softmax";

        public override bool SavesInput(int index, bool[] needed) => false;

        public override Tensor Forward(Tensor[] inputs) => SoftmaxKernel.Apply(inputs[0], axis, SoftmaxKernel.Form.Softmax);

        public override Tensor? Vjp(int index, Tensor cotangent, Tensor[] inputs, Tensor output) =>
            output * (cotangent - (cotangent * output).Sum([axis], keepDims: true));

        public override Tensor? Jvp(int index, Tensor tangent, Tensor[] inputs, Tensor output) =>
            output * (tangent - (tangent * output).Sum([axis], keepDims: true));
    }

    private sealed class LogSoftmaxOp(int axis) : Op
    {
        public override string Name => "LogSoftmax";

        public override bool SavesInput(int index, bool[] needed) => false;

        public override Tensor Forward(Tensor[] inputs) => SoftmaxKernel.Apply(inputs[0], axis, SoftmaxKernel.Form.LogSoftmax);

        public override Tensor? Vjp(int index, Tensor cotangent, Tensor[] inputs, Tensor output) =>
            cotangent - (output.Exp() * cotangent.Sum([axis], keepDims: true));

        public override Tensor? Jvp(int index, Tensor tangent, Tensor[] inputs, Tensor output) =>
            tangent - (output.Exp() * tangent).Sum([axis], keepDims: true);
    }
}
