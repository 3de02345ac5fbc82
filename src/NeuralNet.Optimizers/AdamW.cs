using System.Runtime.CompilerServices;

namespace NeuralNet.Optimizers;

/// <summary>
/// AdamW: <see cref="Adam"/> with decoupled weight decay, under PyTorch's name and defaults (<c>torch.optim.AdamW</c>,
/// λ = 0.01).
/// </summary>
/// <remarks>
/// <para>With gradient g = ∇θL, learning rate η, decay rates β₁ and β₂, epsilon ε, weight decay λ and t the number of
/// updates this parameter has had (this one included), each step computes, per element:</para>
/// <code>
/// θ ← θ(1 − ηλ)
/// m ← β₁m + (1 − β₁)g              (m and v start at 0)
/// v ← β₂v + (1 − β₂)g²
/// v_max ← max(v_max, v)           (AMSGrad only; v_max starts at 0)
/// m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)   (AMSGrad: v̂ = v_max / (1 − β₂ᵗ))
/// θ ← θ − η m̂ / (√v̂ + ε)
/// </code>
/// <para>The same as <c>new Adam(..., decoupledWeightDecay: true)</c>. The paper scales the decay by the schedule
/// multiplier; PyTorch, and this class, by η.</para>
/// <para>References: I. Loshchilov and F. Hutter, "Decoupled Weight Decay Regularization", ICLR 2019
/// (arXiv:1711.05101); D. P. Kingma and J. Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015
/// (arXiv:1412.6980); S. J. Reddi, S. Kale and S. Kumar, "On the Convergence of Adam and Beyond", ICLR 2018 (AMSGrad).</para>
/// </remarks>
public sealed class AdamW : Optimizer
{
    private readonly AdamRule _rule;

    /// <summary>Creates an AdamW optimizer.</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="learningRate">η ≥ 0.</param>
    /// <param name="beta1">β₁ in [0, 1), the decay rate of the first-moment average.</param>
    /// <param name="beta2">β₂ in [0, 1), the decay rate of the second-moment average.</param>
    /// <param name="epsilon">ε &gt; 0, added to √v̂ for numerical stability.</param>
    /// <param name="weightDecay">λ ≥ 0, the decoupled decay rate.</param>
    /// <param name="amsGrad">Divide by the largest v so far instead of the current v (AMSGrad).</param>
    /// <exception cref="ArgumentException">No parameters, or one of them twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A hyper-parameter is out of range, or NaN.</exception>
    // `[]` and `[null]` convert to both parameter lists and group lists: take them as (refused) parameter lists
    [OverloadResolutionPriority(1)]
    public AdamW(
        IEnumerable<Parameter> parameters,
        double learningRate = 1e-3,
        double beta1 = 0.9,
        double beta2 = 0.999,
        double epsilon = 1e-8,
        double weightDecay = 1e-2,
        bool amsGrad = false)
        : this([new ParameterGroup(parameters)], learningRate, beta1, beta2, epsilon, weightDecay, amsGrad)
    {
    }

    /// <summary>Creates an AdamW optimizer over parameter groups, each with its own η and λ if it sets them (the usual
    /// use: <c>weightDecay: 0</c> for biases and normalisation layers).</summary>
    /// <param name="groups">The parameter groups; a group's null learning rate or weight decay takes the value given here.</param>
    /// <param name="learningRate">η ≥ 0.</param>
    /// <param name="beta1">β₁ in [0, 1), the decay rate of the first-moment average.</param>
    /// <param name="beta2">β₂ in [0, 1), the decay rate of the second-moment average.</param>
    /// <param name="epsilon">ε &gt; 0, added to √v̂ for numerical stability.</param>
    /// <param name="weightDecay">λ ≥ 0, the decoupled decay rate.</param>
    /// <param name="amsGrad">Divide by the largest v so far instead of the current v (AMSGrad).</param>
    /// <exception cref="ArgumentException">No groups, a null or empty group, a null parameter, or a parameter listed
    /// twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A hyper-parameter is out of range, or NaN.</exception>
    public AdamW(
        IEnumerable<ParameterGroup> groups,
        double learningRate = 1e-3,
        double beta1 = 0.9,
        double beta2 = 0.999,
        double epsilon = 1e-8,
        double weightDecay = 1e-2,
        bool amsGrad = false)
        : base(groups, learningRate)
    {
        _rule = new AdamRule(this, beta1, beta2, epsilon, weightDecay, decoupledWeightDecay: true, amsGrad);
    }

    /// <summary>β₁, the decay rate of the first-moment average.</summary>
    public double Beta1 => _rule.Beta1;

    /// <summary>β₂, the decay rate of the second-moment average.</summary>
    public double Beta2 => _rule.Beta2;

    /// <summary>ε, added to √v̂.</summary>
    public double Epsilon => _rule.Epsilon;

    /// <summary>The decoupled weight decay λ of a group that sets none.</summary>
    public double WeightDecay => _rule.WeightDecay;

    /// <summary>Whether the step divides by the largest second moment so far (AMSGrad).</summary>
    public bool AmsGrad => _rule.AmsGrad;

    /// <inheritdoc/>
    private protected override double? DefaultWeightDecay => _rule.WeightDecay;

    /// <inheritdoc/>
    private protected override StateTable State => _rule.State;

    /// <summary>Shows the class and its hyper-parameters, and the groups when there is more than one.</summary>
    public override string ToString() => _rule.Describe(this, GroupsDescription);

    /// <inheritdoc/>
    protected override void Update(Parameter parameter, Tensor gradient, ParameterGroup group) =>
        UpdateRule.Apply(_rule, parameter, gradient, group);
}
