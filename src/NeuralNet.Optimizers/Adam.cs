namespace NeuralNet.Optimizers;

/// <summary>
/// Adam: momentum on the gradient and an RMSProp-style scale per element, both bias-corrected (PyTorch's
/// <c>torch.optim.Adam</c>, without AMSGrad).
/// </summary>
/// <remarks>
/// <para>With gradient g = ∇θL, learning rate η, decay rates β₁ and β₂, epsilon ε, weight decay λ and t the number of
/// updates this parameter has had (this one included), each step computes, per element:</para>
/// <code>
/// g ← g + λθ                       (L2 penalty; with decoupledWeightDecay instead θ ← θ(1 − ηλ))
/// m ← β₁m + (1 − β₁)g              (m and v start at 0)
/// v ← β₂v + (1 − β₂)g²
/// m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)
/// θ ← θ − η m̂ / (√v̂ + ε)
/// </code>
/// <para>ε is added to √v̂ as in PyTorch (the paper's Algorithm 1). With <c>decoupledWeightDecay</c> this is AdamW
/// (see <see cref="AdamW"/>): the decay shrinks θ directly instead of passing through m and v, where an L2 penalty
/// would be rescaled per element.</para>
/// <para>References: D. P. Kingma and J. Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015
/// (arXiv:1412.6980); I. Loshchilov and F. Hutter, "Decoupled Weight Decay Regularization", ICLR 2019
/// (arXiv:1711.05101).</para>
/// </remarks>
public sealed class Adam : Optimizer
{
    private readonly AdamRule _rule;

    /// <summary>Creates an Adam optimizer.</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="learningRate">η ≥ 0.</param>
    /// <param name="beta1">β₁ in [0, 1), the decay rate of the first-moment average.</param>
    /// <param name="beta2">β₂ in [0, 1), the decay rate of the second-moment average.</param>
    /// <param name="epsilon">ε &gt; 0, added to √v̂ for numerical stability.</param>
    /// <param name="weightDecay">λ ≥ 0.</param>
    /// <param name="decoupledWeightDecay">Shrink θ by ηλ directly (AdamW) instead of adding λθ to the gradient.</param>
    /// <exception cref="ArgumentException">No parameters, or one of them twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A hyper-parameter is out of range, or NaN.</exception>
    public Adam(
        IEnumerable<Parameter> parameters,
        double learningRate = 1e-3,
        double beta1 = 0.9,
        double beta2 = 0.999,
        double epsilon = 1e-8,
        double weightDecay = 0,
        bool decoupledWeightDecay = false)
        : base(parameters, learningRate)
    {
        _rule = new AdamRule(this, beta1, beta2, epsilon, weightDecay, decoupledWeightDecay);
    }

    /// <summary>β₁, the decay rate of the first-moment average.</summary>
    public double Beta1 => _rule.Beta1;

    /// <summary>β₂, the decay rate of the second-moment average.</summary>
    public double Beta2 => _rule.Beta2;

    /// <summary>ε, added to √v̂.</summary>
    public double Epsilon => _rule.Epsilon;

    /// <summary>The weight decay λ.</summary>
    public double WeightDecay => _rule.WeightDecay;

    /// <summary>Whether weight decay is decoupled from the gradient (AdamW).</summary>
    public bool DecoupledWeightDecay => _rule.DecoupledWeightDecay;

    internal AdamRule Rule => _rule;

    /// <summary>Shows the class and its hyper-parameters.</summary>
    public override string ToString() => _rule.Describe(this);

    /// <inheritdoc/>
    protected override void Update(Parameter parameter, Tensor gradient, ParameterGroup group) =>
        UpdateRule.Apply(_rule, parameter, gradient, group.LearningRate);
}
