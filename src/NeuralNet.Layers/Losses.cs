namespace NeuralNet.Layers;

/// <summary>
/// Loss functions in their numerically stable forms, each composed from differentiable tensor ops, with
/// PyTorch's definitions and a mean reduction by default.
/// </summary>
/// <remarks>
/// Every loss checks its operands' shapes and dtypes and throws an <see cref="ArgumentException"/> naming the loss
/// and the shapes. Targets and labels are constants: no gradient flows into them except where stated.
/// </remarks>
public static class Losses
{
    /// <summary>The mean squared error (PyTorch's <c>MSELoss</c>).</summary>
    /// <param name="prediction">The predictions.</param>
    /// <param name="target">The targets, of the prediction's shape.</param>
    /// <param name="reduction">How to combine the per-element values.</param>
    /// <remarks>ℓᵢ = (pᵢ − tᵢ)²; with the mean over n elements, ∂L/∂pᵢ = 2(pᵢ − tᵢ)/n.</remarks>
    /// <exception cref="ArgumentException">The shapes or dtypes differ.</exception>
    public static Tensor MeanSquaredError(Tensor prediction, Tensor target, Reduction reduction = Reduction.Mean)
    {
        SameShape(nameof(MeanSquaredError), prediction, nameof(prediction), target, nameof(target));
        return Reduce(nameof(MeanSquaredError), (prediction - target).Square(), reduction);
    }

    /// <summary>The mean absolute error (PyTorch's <c>L1Loss</c>, Keras's <c>mean_absolute_error</c>).</summary>
    /// <param name="prediction">The predictions.</param>
    /// <param name="target">The targets, of the prediction's shape.</param>
    /// <param name="reduction">How to combine the per-element values.</param>
    /// <remarks>ℓᵢ = |pᵢ − tᵢ|; with the mean over n elements, ∂L/∂pᵢ = sign(pᵢ − tᵢ)/n, and 0 where pᵢ = tᵢ (as PyTorch's
    /// <c>sgn</c>).</remarks>
    /// <exception cref="ArgumentException">The shapes or dtypes differ.</exception>
    public static Tensor MeanAbsoluteError(Tensor prediction, Tensor target, Reduction reduction = Reduction.Mean)
    {
        SameShape(nameof(MeanAbsoluteError), prediction, nameof(prediction), target, nameof(target));
        return Reduce(nameof(MeanAbsoluteError), (prediction - target).Abs(), reduction);
    }

    /// <summary>The negative log-likelihood of integer labels under log-probabilities (PyTorch's <c>NLLLoss</c>).</summary>
    /// <param name="logProbabilities">Log-probabilities per class, shape [n, classes]: a <c>LogSoftmax(1)</c>'s output.</param>
    /// <param name="labels">One class index per row, each in 0..classes−1.</param>
    /// <param name="reduction">How to combine the per-sample values (None gives shape [n]).</param>
    /// <remarks>ℓᵢ = −xᵢ,yᵢ; with the mean over n rows, ∂L/∂xᵢ,yᵢ = −1/n and 0 elsewhere. <c>NegativeLogLikelihood(z.LogSoftmax(1), y)</c>
    /// is <see cref="CrossEntropy(Tensor, int[], Reduction)"/> of the logits z, which is one op each way and to be
    /// preferred.</remarks>
    /// <exception cref="ArgumentException">The log-probabilities are not [n, classes] with n the number of labels.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside 0..classes−1.</exception>
    public static Tensor NegativeLogLikelihood(Tensor logProbabilities, int[] labels, Reduction reduction = Reduction.Mean)
    {
        const string loss = nameof(NegativeLogLikelihood);
        OpChecks.ClassLabels(loss, logProbabilities, labels);
        CaptureSession.RefuseHostLabels(loss, labels);
        int n = logProbabilities.Shape[0], classes = logProbabilities.Shape[1];
        int[] picked = [.. labels.Select((label, i) => (i * classes) + label)];

        // Picked by index, not by a one-hot product, which would make 0·(−∞) = NaN for a class of probability 0.
        return Reduce(loss, -logProbabilities.Reshape(n * classes).Gather(picked), reduction);
    }

    /// <summary>Cross-entropy of class logits against integer labels (PyTorch's <c>CrossEntropyLoss</c>).</summary>
    /// <param name="logits">Unnormalised scores, shape [n, classes].</param>
    /// <param name="labels">One class index per row, each in 0..classes−1.</param>
    /// <param name="reduction">How to combine the per-sample values (None gives shape [n]).</param>
    /// <remarks>
    /// ℓᵢ = −log softmax(zᵢ)[yᵢ] = logsumexp(zᵢ) − zᵢ,yᵢ, computed by <see cref="Tensor.SoftmaxCrossEntropy"/> (one op each
    /// way, the row max subtracted first) so that logits of any size stay finite. With the mean over n rows,
    /// ∂L/∂z = (softmax(z) − onehot(y)) / n.
    /// </remarks>
    /// <exception cref="ArgumentException">The logits are not [n, classes] with n the number of labels.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside 0..classes−1.</exception>
    public static Tensor CrossEntropy(Tensor logits, int[] labels, Reduction reduction = Reduction.Mean)
    {
        OpChecks.ClassLabels(nameof(CrossEntropy), logits, labels);

        // One op each way (Tensor.SoftmaxCrossEntropy); no one-hot product, so a masked −∞ logit elsewhere gives no 0·−∞.
        return Reduce(nameof(CrossEntropy), Tensor.SoftmaxCrossEntropy(logits, labels), reduction);
    }

    /// <summary>Cross-entropy of class logits against target probabilities (PyTorch's <c>CrossEntropyLoss</c> with soft targets).</summary>
    /// <param name="logits">Unnormalised scores, shape [n, classes].</param>
    /// <param name="targetProbabilities">A distribution over the classes per row, of the logits' shape.</param>
    /// <param name="reduction">How to combine the per-sample values (None gives shape [n]).</param>
    /// <remarks>
    /// ℓᵢ = −Σ꜀ pᵢ꜀·log softmax(zᵢ)꜀, through the log-softmax. ∂ℓᵢ/∂zᵢ = softmax(zᵢ)·Σ꜀pᵢ꜀ − pᵢ, which is
    /// softmax(zᵢ) − pᵢ when the row sums to 1. The targets are not checked to sum to 1 (PyTorch does not either).
    /// </remarks>
    /// <exception cref="ArgumentException">The logits are not 2-D, or the shapes or dtypes differ.</exception>
    public static Tensor CrossEntropy(Tensor logits, Tensor targetProbabilities, Reduction reduction = Reduction.Mean)
    {
        const string loss = nameof(CrossEntropy);
        SameShape(loss, logits, nameof(logits), targetProbabilities, nameof(targetProbabilities));
        if (logits.Rank != 2)
        {
            throw new ArgumentException($"{loss}: logits {logits.Shape} must be [n, classes].", nameof(logits));
        }

        return Reduce(loss, -(targetProbabilities * logits.LogSoftmax(1)).Sum(1), reduction);
    }

    /// <summary>Binary cross-entropy of probabilities (PyTorch's <c>BCELoss</c>).</summary>
    /// <param name="probabilities">Predicted probabilities, each in [0, 1] (e.g. a sigmoid's output).</param>
    /// <param name="targets">Targets in [0, 1], of the same shape.</param>
    /// <param name="reduction">How to combine the per-element values.</param>
    /// <remarks>
    /// <para>ℓᵢ = −(yᵢ·max(log pᵢ, −100) + (1 − yᵢ)·max(log(1 − pᵢ), −100)). The −100 floor is PyTorch's: a
    /// probability of exactly 0 or 1 gives a loss of at most 100 instead of ∞, and no NaN gradient.</para>
    /// <para>∂ℓᵢ/∂pᵢ = (pᵢ − yᵢ) / (pᵢ(1 − pᵢ)) where no floor is active; a floored log contributes 0.</para>
    /// <para>Applying a sigmoid and then this loss loses precision for large logits: prefer
    /// <see cref="BinaryCrossEntropyWithLogits"/>.</para>
    /// </remarks>
    /// <exception cref="ArgumentException">The shapes or dtypes differ, or a probability is outside [0, 1] (or NaN).</exception>
    public static Tensor BinaryCrossEntropy(Tensor probabilities, Tensor targets, Reduction reduction = Reduction.Mean)
    {
        const string loss = nameof(BinaryCrossEntropy);
        SameShape(loss, probabilities, nameof(probabilities), targets, nameof(targets));
        CheckValues(probabilities, static values =>
        {
            double[] p = values.ToArray<double>();
            for (int i = 0; i < p.Length; i++)
            {
                if (!(p[i] >= 0 && p[i] <= 1))
                {
                    throw new ArgumentException(
                        $"{loss}: probability {p[i]} (at flat index {i} of {values.Shape}) is outside [0, 1].", nameof(probabilities));
                }
            }
        });

        Tensor logP = FlooredLog(probabilities, probabilities > 0.0);
        Tensor log1MinusP = FlooredLog(1.0 - probabilities, probabilities < 1.0);
        return Reduce(loss, -((targets * logP) + ((1.0 - targets) * log1MinusP)), reduction);
    }

    /// <summary>Binary cross-entropy of logits (PyTorch's <c>BCEWithLogitsLoss</c>): a sigmoid and BCE in one stable op.</summary>
    /// <param name="logits">Unnormalised scores x.</param>
    /// <param name="targets">Targets y in [0, 1], of the same shape.</param>
    /// <param name="reduction">How to combine the per-element values.</param>
    /// <remarks>
    /// <para>ℓᵢ = −(y·log σ(x) + (1 − y)·log(1 − σ(x))) = y·softplus(−x) + (1 − y)·softplus(x), which equals
    /// max(x, 0) − x·y + log1p(e^−|x|) and never overflows (the softplus kernel computes max(z, 0) + log1p(e^−|z|)).
    /// Both terms are non-negative, so nothing cancels: a confidently right logit keeps its tiny loss
    /// (x = 100, y = 1 gives e^−100 ≈ 3.7e−44, where softplus(x) − x·y would round to 0).</para>
    /// <para>∂ℓᵢ/∂x = −y·σ(−x) + (1 − y)·σ(x) = σ(x) − y, smooth also at x = 0 (composing max(x, 0) and |x| as separate
    /// ops would give the subgradient −y there). ∂ℓᵢ/∂y = softplus(−x) − softplus(x) = −x.</para>
    /// </remarks>
    /// <exception cref="ArgumentException">The shapes or dtypes differ.</exception>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor logits, Tensor targets, Reduction reduction = Reduction.Mean)
    {
        const string loss = nameof(BinaryCrossEntropyWithLogits);
        SameShape(loss, logits, nameof(logits), targets, nameof(targets));
        return Reduce(loss, (targets * (-logits).Softplus()) + ((1.0 - targets) * logits.Softplus()), reduction);
    }

    /// <summary>The hinge loss of scores against ±1 targets with margin 1, as in support-vector machines.</summary>
    /// <param name="scores">Scores s.</param>
    /// <param name="targets">Targets y, each −1 or +1, of the same shape.</param>
    /// <param name="reduction">How to combine the per-element values.</param>
    /// <remarks>ℓᵢ = max(0, 1 − yᵢsᵢ); ∂ℓᵢ/∂sᵢ = −yᵢ where yᵢsᵢ &lt; 1, else 0.</remarks>
    /// <exception cref="ArgumentException">The shapes or dtypes differ, or a target is not ±1.</exception>
    public static Tensor Hinge(Tensor scores, Tensor targets, Reduction reduction = Reduction.Mean)
    {
        const string loss = nameof(Hinge);
        SameShape(loss, scores, nameof(scores), targets, nameof(targets));
        CheckValues(targets, static values =>
        {
            double[] y = values.ToArray<double>();
            for (int i = 0; i < y.Length; i++)
            {
                if (y[i] != 1 && y[i] != -1)
                {
                    throw new ArgumentException($"{loss}: target {y[i]} (at flat index {i} of {values.Shape}) must be -1 or +1.", nameof(targets));
                }
            }
        });

        return Reduce(loss, (1.0 - (targets * scores)).Relu(), reduction);
    }

    /// <summary>The Huber loss (PyTorch's <c>HuberLoss</c>): quadratic for small errors, linear for large ones.</summary>
    /// <param name="prediction">The predictions.</param>
    /// <param name="target">The targets, of the prediction's shape.</param>
    /// <param name="delta">Where the quadratic part turns linear; positive and finite.</param>
    /// <param name="reduction">How to combine the per-element values.</param>
    /// <remarks>
    /// <para>With d = p − t: ℓᵢ = ½d² where |d| &lt; δ, else δ(|d| − ½δ). Computed as ½m² + δ(|d| − m) with
    /// m = min(|d|, δ), which is the same function with no mask, so both AD modes follow from the ops.</para>
    /// <para>∂ℓᵢ/∂pᵢ = d clipped to [−δ, δ], and −that for the target (gradient flows into it, as in PyTorch). The
    /// derivative is continuous: at |d| = δ both pieces give ±δ. With δ = 1 this is PyTorch's <c>SmoothL1Loss</c>
    /// (which divides by β: SmoothL1 = Huber / δ).</para>
    /// </remarks>
    /// <exception cref="ArgumentException">The shapes or dtypes differ.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delta"/> is not positive and finite.</exception>
    public static Tensor Huber(Tensor prediction, Tensor target, double delta = 1.0, Reduction reduction = Reduction.Mean)
    {
        const string loss = nameof(Huber);
        SameShape(loss, prediction, nameof(prediction), target, nameof(target));
        if (!(delta > 0) || double.IsInfinity(delta))
        {
            throw new ArgumentOutOfRangeException(nameof(delta), $"{loss}: delta {delta} must be positive and finite.");
        }

        Tensor absolute = (prediction - target).Abs();
        Tensor clipped = Tensor.Minimum(absolute, Tensor.Scalar(delta, absolute.DType));
        return Reduce(loss, (0.5 * clipped.Square()) + (delta * (absolute - clipped)), reduction);
    }

    /// <summary>The multi-class hinge loss of class scores against integer labels (PyTorch's <c>MultiMarginLoss</c> with p = 1).</summary>
    /// <param name="scores">Class scores x, shape [n, classes].</param>
    /// <param name="labels">One class index per row, each in 0..classes−1.</param>
    /// <param name="margin">The margin by which the true class should win; finite (PyTorch allows any sign).</param>
    /// <param name="reduction">How to combine the per-sample values (None gives shape [n]).</param>
    /// <remarks>
    /// <para>ℓᵢ = Σ_{j≠yᵢ} max(0, margin − xᵢ,yᵢ + xᵢ,ⱼ) / C, divided by the number of classes C as PyTorch does (the
    /// Weston–Watkins SVM loss without that division is C·ℓᵢ).</para>
    /// <para>∂ℓᵢ/∂xᵢ,ⱼ = [margin − xᵢ,yᵢ + xᵢ,ⱼ &gt; 0] / C for j ≠ yᵢ, and ∂ℓᵢ/∂xᵢ,yᵢ = −(the number of such active j) / C.</para>
    /// </remarks>
    /// <exception cref="ArgumentException">The scores are not [n, classes] with n the number of labels.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside 0..classes−1, or <paramref name="margin"/> is not finite.</exception>
    public static Tensor MultiMarginHinge(Tensor scores, int[] labels, double margin = 1.0, Reduction reduction = Reduction.Mean)
    {
        const string loss = nameof(MultiMarginHinge);
        OpChecks.ClassLabels(loss, scores, labels);
        CaptureSession.RefuseHostLabels(loss, labels);
        if (!double.IsFinite(margin))
        {
            throw new ArgumentOutOfRangeException(nameof(margin), $"{loss}: margin {margin} must be finite.");
        }

        int n = scores.Shape[0], classes = scores.Shape[1];
        var flat = new int[n];
        var others = new double[n * classes];
        for (int i = 0; i < n; i++)
        {
            flat[i] = (i * classes) + labels[i];
            Array.Fill(others, 1.0, i * classes, classes);
            others[flat[i]] = 0;
        }

        // The true class's score, picked by index: a one-hot product would make 0·∞ = NaN for an infinite score elsewhere.
        Tensor truth = scores.Reshape(n * classes).Gather(flat).Unsqueeze(-1);
        Tensor hinge = ((margin - truth) + scores).Relu();

        // Where, not a product with the mask, drops the j = y terms (each max(0, margin)) without touching their values.
        Tensor mask = Tensor.FromArray(others).Reshape(n, classes).To(scores.DType);
        Tensor perSample = Tensor.Where(mask, hinge, Tensor.Scalar(0.0, scores.DType)).Sum(1) / classes;
        return Reduce(loss, perSample, reduction);
    }

    /// <summary>The Gaussian negative log-likelihood (PyTorch's <c>GaussianNLLLoss</c>) of targets under predicted means and variances.</summary>
    /// <param name="mean">The predicted means μ.</param>
    /// <param name="target">The observations x, of the mean's shape.</param>
    /// <param name="variance">The predicted variances σ², non-negative: of the mean's shape, of its shape without the last
    /// axis, or broadcastable to it (e.g. last axis 1 for one variance per sample, or a scalar).</param>
    /// <param name="eps">The floor for the variance, for stability; positive.</param>
    /// <param name="full">Add the constant ½·log(2π), giving the exact negative log-density.</param>
    /// <param name="reduction">How to combine the per-element values.</param>
    /// <remarks>
    /// <para>ℓᵢ = ½(log v + (x − μ)² / v) with v = max(σ², eps), plus ½·log(2π) when <paramref name="full"/>.</para>
    /// <para>As in PyTorch the floor is applied to the value only: the gradient for σ² is that of the formula at
    /// v, ∂ℓ/∂σ² = ½(1/v − (x − μ)²/v²), even where σ² &lt; eps, so a collapsing variance still gets pushed back.
    /// ∂ℓ/∂μ = (μ − x)/v, and gradient flows into the target too, −∂ℓ/∂μ.</para>
    /// </remarks>
    /// <exception cref="ArgumentException">The shapes do not fit, the dtypes differ, or a variance is negative or NaN.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="eps"/> is not positive and finite.</exception>
    public static Tensor GaussianNegativeLogLikelihood(
        Tensor mean, Tensor target, Tensor variance, double eps = 1e-6, bool full = false, Reduction reduction = Reduction.Mean)
    {
        const string loss = nameof(GaussianNegativeLogLikelihood);
        SameShape(loss, mean, nameof(mean), target, nameof(target));
        ArgumentNullException.ThrowIfNull(variance);
        if (!(eps > 0) || double.IsInfinity(eps))
        {
            throw new ArgumentOutOfRangeException(nameof(eps), $"{loss}: eps {eps} must be positive and finite.");
        }

        if (variance.DType != mean.DType)
        {
            throw new ArgumentException($"{loss}: variance {variance.Shape} is {variance.DType}; mean {mean.Shape} is {mean.DType}.", nameof(variance));
        }

        // PyTorch's homoscedastic shorthand: a variance without the last axis means one variance per row.
        Tensor v = variance;
        if (mean.Rank >= 1 && v.Rank == mean.Rank - 1 && v.Shape == new Shape(mean.Shape.Dimensions[..^1].ToArray()))
        {
            v = v.Unsqueeze(-1);
        }

        if (!BroadcastsTo(v.Shape, mean.Shape))
        {
            throw new ArgumentException(
                $"{loss}: variance {variance.Shape} does not fit mean {mean.Shape} (same shape, without the last axis, or broadcastable).", nameof(variance));
        }

        CheckValues(v, static values =>
        {
            double[] variances = values.ToArray<double>();
            for (int i = 0; i < variances.Length; i++)
            {
                if (!(variances[i] >= 0))
                {
                    throw new ArgumentException($"{loss}: variance {variances[i]} (at flat index {i} of {values.Shape}) must be non-negative.", nameof(variance));
                }
            }
        });

        // Straight-through floor: the value of max(σ², eps), the derivative of the identity (PyTorch clamps under no_grad).
        Tensor floored = v + (Tensor.Maximum(v.Detach(), Tensor.Scalar(eps, v.DType)) - v.Detach());
        Tensor perElement = 0.5 * (floored.Log() + ((target - mean).Square() / floored));
        if (full)
        {
            perElement += 0.5 * Math.Log(2 * Math.PI);
        }

        return Reduce(loss, perElement, reduction);
    }

    /// <summary>Runs <paramref name="check"/>, a check of <paramref name="values"/> that reads them on the host, now, and in a
    /// captured step again at every replay, on that replay's values.</summary>
    private static void CheckValues(Tensor values, Action<Tensor> check)
    {
        if (CaptureSession.Current is { } capture)
        {
            CheckAtEveryReplay(capture.Keep(values), check);
            return;
        }

        check(values);
    }

    // A method of its own, so that an ordinary call makes no closure.
    private static void CheckAtEveryReplay(Tensor values, Action<Tensor> check) => CaptureSession.RunRecorded(() => check(values));

    /// <summary>max(log q, −100) with no NaN where q is 0: where <paramref name="condition"/> is 0, the constant −100.</summary>
    private static Tensor FlooredLog(Tensor q, Tensor condition)
    {
        Tensor floor = Tensor.Scalar(-100.0, q.DType);

        // log(1) = 0 stands in where q is 0, so the VJP of the log never divides 0 by 0.
        Tensor safe = Tensor.Where(condition, q, Tensor.OnesLike(q)).Log();
        return Tensor.Where(condition, Tensor.Maximum(safe, floor), floor);
    }

    /// <summary>Whether <paramref name="from"/> broadcasts to <paramref name="to"/> without changing it (NumPy's rules).</summary>
    private static bool BroadcastsTo(Shape from, Shape to)
    {
        if (from.Rank > to.Rank)
        {
            return false;
        }

        for (int i = 1; i <= from.Rank; i++)
        {
            if (from[-i] != 1 && from[-i] != to[-i])
            {
                return false;
            }
        }

        return true;
    }

    private static void SameShape(string loss, Tensor a, string aName, Tensor b, string bName)
    {
        ArgumentNullException.ThrowIfNull(a, aName);
        ArgumentNullException.ThrowIfNull(b, bName);
        if (a.Shape != b.Shape)
        {
            throw new ArgumentException($"{loss}: {aName} {a.Shape} and {bName} {b.Shape} must have the same shape.", bName);
        }

        if (a.DType != b.DType)
        {
            throw new ArgumentException($"{loss}: {aName} {a.Shape} is {a.DType} but {bName} {b.Shape} is {b.DType}.", bName);
        }
    }

    /// <summary>Combines the per-element <paramref name="values"/>, which the loss computed itself (never an argument).</summary>
    /// <remarks>Reduced, the values are seen by nothing outside the loss, so during a training step their buffer goes
    /// back to the pool with the tape, as a <see cref="Sequential"/>'s activations do.</remarks>
    private static Tensor Reduce(string loss, Tensor values, Reduction reduction)
    {
        Tensor result = reduction switch
        {
            Reduction.None => values,
            Reduction.Mean => values.Mean(),
            Reduction.Sum => values.Sum(),
            _ => throw new ArgumentOutOfRangeException(nameof(reduction), $"{loss}: unknown reduction {reduction}."),
        };
        if (reduction != Reduction.None)
        {
            Tape.Recycle(values);
        }

        return result;
    }
}
