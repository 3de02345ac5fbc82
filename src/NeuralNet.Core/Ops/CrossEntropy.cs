namespace NeuralNet;

// Cross-entropy of logits against integer labels as one op forward and one op backward: the composed form
// (log-softmax, reshape, gather, negate) is five ops and as many tensors each way.
public partial class Tensor
{
    /// <summary>
    /// Per-row cross-entropy of logits against integer labels, ℓᵢ = logsumexp(zᵢ) − zᵢ,yᵢ = −log softmax(zᵢ)[yᵢ]
    /// (PyTorch's <c>F.cross_entropy(z, y, reduction="none")</c>, TensorFlow's
    /// <c>sparse_softmax_cross_entropy_with_logits</c>), as one op.
    /// </summary>
    /// <param name="logits">Unnormalised scores, shape [n, classes].</param>
    /// <param name="labels">One class index per row, each in 0..classes−1; copied (except a <see cref="CapturedStep"/>'s
    /// own labels, which each replay refills).</param>
    /// <returns>Shape [n].</returns>
    /// <remarks>
    /// <para>Stable for logits of any size: each row is shifted by its max. VJP: ∂ℓᵢ/∂zᵢ = softmax(zᵢ) − onehot(yᵢ),
    /// computed by one op of its own that is itself differentiable (its derivative is the softmax Jacobian
    /// diag(s) − ssᵀ per row), so Hessians and Hessian-vector products of the loss work. Labels get no gradient.</para>
    /// </remarks>
    /// <exception cref="ArgumentException">The logits are not [n, classes] with n the number of labels.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside 0..classes−1.</exception>
    public static Tensor SoftmaxCrossEntropy(Tensor logits, int[] labels)
    {
        OpChecks.ClassLabels(nameof(SoftmaxCrossEntropy), logits, labels);
        return Dispatcher.Apply(new SoftmaxCrossEntropyOp(CaptureSession.KeepLabels(nameof(SoftmaxCrossEntropy), labels, logits.Shape)), logits);
    }

    /// <summary>z [n, c] → ℓ [n].</summary>
    private sealed class SoftmaxCrossEntropyOp(int[] labels) : Op
    {
        public override string Name => nameof(SoftmaxCrossEntropy);

        public override bool SavesOutput(bool[] needed) => false;

        public override Tensor Forward(Tensor[] inputs) => CrossEntropyKernel.Loss(inputs[0], labels);

        public override bool ForwardInto(Tensor[] inputs, Tensor output)
        {
            CrossEntropyKernel.LossInto(inputs[0], labels, output.Data);
            return true;
        }

        // ∂ℓᵢ/∂zᵢ = (softmax(zᵢ) − onehot(yᵢ)), scaled by each row's cotangent gᵢ.
        public override Tensor? Vjp(int index, Tensor cotangent, Tensor[] inputs, Tensor output) =>
            Dispatcher.Apply(new SoftmaxCrossEntropyGradientOp(labels), inputs[0], cotangent);

        public override Tensor? Jvp(int index, Tensor tangent, Tensor[] inputs, Tensor output) =>
            (Dispatcher.Apply(new SoftmaxCrossEntropyGradientOp(labels), inputs[0], OnesLike(output)) * tangent).Sum(1);
    }

    /// <summary>(z [n, c], g [n]) → (softmax(z) − onehot(y)) ⊙ g, each row scaled by its gᵢ.</summary>
    private sealed class SoftmaxCrossEntropyGradientOp(int[] labels) : Op
    {
        public override string Name => nameof(SoftmaxCrossEntropy) + "Gradient";

        public override bool SavesOutput(bool[] needed) => false;

        public override Tensor Forward(Tensor[] inputs) => CrossEntropyKernel.Gradient(inputs[0], inputs[1], labels);

        public override bool ForwardInto(Tensor[] inputs, Tensor output)
        {
            CrossEntropyKernel.GradientInto(inputs[0], inputs[1], labels, output.Data);
            return true;
        }

        // With s = softmax(zᵢ): ∂/∂zᵢ of (s − onehot)·gᵢ is gᵢ (diag(s) − ssᵀ), symmetric, so the VJP and the JVP in z
        // are one formula; in g the op is linear.
        public override Tensor? Vjp(int index, Tensor cotangent, Tensor[] inputs, Tensor output) => index == 0
            ? SoftmaxJacobianProduct(inputs[0], inputs[1], cotangent)
            : (cotangent * Dispatcher.Apply(this, inputs[0], OnesLike(inputs[1]))).Sum(1);

        public override Tensor? Jvp(int index, Tensor tangent, Tensor[] inputs, Tensor output) => index == 0
            ? SoftmaxJacobianProduct(inputs[0], inputs[1], tangent)
            : Dispatcher.Apply(this, inputs[0], tangent);

        /// <summary>gᵢ · (diag(s) − ssᵀ)·v per row, for s = softmax(zᵢ): s ⊙ (v − ⟨v, s⟩) · gᵢ.</summary>
        private static Tensor SoftmaxJacobianProduct(Tensor logits, Tensor scale, Tensor v)
        {
            Tensor s = logits.Softmax(1);
            return s * (v - (v * s).Sum(1, keepDims: true)) * scale.Reshape(scale.Size, 1);
        }
    }
}
