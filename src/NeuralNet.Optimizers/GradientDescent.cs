using System.Runtime.CompilerServices;

namespace NeuralNet.Optimizers;

/// <summary>
/// Gradient descent, with optional (Nesterov) momentum and L2 weight decay: PyTorch's <c>torch.optim.SGD</c> with
/// dampening 0.
/// </summary>
/// <remarks>
/// <para>With gradient g = ∇θL, learning rate η, momentum μ and weight decay λ, each step computes, per element:</para>
/// <code>
/// g ← g + λθ
/// b ← μb + g          (first step: b = g)
/// d ← g + μb          if nesterov, else d ← b   (d = g when μ = 0)
/// θ ← θ − ηd
/// </code>
/// <para>Plain (batch) gradient descent, stochastic gradient descent and mini-batch gradient descent are this one rule:
/// they differ only in how many examples the loss behind g averages over — the whole training set, one example, or a
/// mini-batch. Batching belongs to the data loader, not to the optimizer.</para>
/// <para>For a constant η the momentum form equals the classic v ← μv − ηg, θ ← θ + v (with v = −ηb); it differs only
/// when η changes between steps, where this form (PyTorch's) applies the new η to the whole buffer.</para>
/// <para>References: H. Robbins and S. Monro, "A Stochastic Approximation Method", Ann. Math. Statist. 22 (1951);
/// B. T. Polyak, "Some methods of speeding up the convergence of iteration methods", USSR Comput. Math. Math. Phys.
/// 4(5) (1964) (momentum); I. Sutskever, J. Martens, G. Dahl and G. Hinton, "On the importance of initialization and
/// momentum in deep learning", ICML 2013 (Nesterov momentum in this form).</para>
/// </remarks>
public class GradientDescent : Optimizer
{
    private readonly SgdRule _rule;

    /// <summary>Creates a gradient-descent optimizer.</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="learningRate">η ≥ 0.</param>
    /// <param name="momentum">μ in [0, 1); 0 for none.</param>
    /// <param name="nesterov">Use Nesterov momentum (needs μ &gt; 0).</param>
    /// <param name="weightDecay">λ ≥ 0, the L2 penalty added to the gradient.</param>
    /// <exception cref="ArgumentException">No parameters, or one of them twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A hyper-parameter is out of range, or NaN.</exception>
    // `[]` and `[null]` convert to both parameter lists and group lists: take them as (refused) parameter lists
    [OverloadResolutionPriority(1)]
    public GradientDescent(IEnumerable<Parameter> parameters, double learningRate, double momentum = 0, bool nesterov = false, double weightDecay = 0)
        : this([new ParameterGroup(parameters)], learningRate, momentum, nesterov, weightDecay)
    {
    }

    /// <summary>Creates a gradient-descent optimizer over parameter groups, each with its own η and λ if it sets them.</summary>
    /// <param name="groups">The parameter groups; a group's null learning rate or weight decay takes the value given here.</param>
    /// <param name="learningRate">η ≥ 0.</param>
    /// <param name="momentum">μ in [0, 1); 0 for none.</param>
    /// <param name="nesterov">Use Nesterov momentum (needs μ &gt; 0).</param>
    /// <param name="weightDecay">λ ≥ 0, the L2 penalty added to the gradient.</param>
    /// <exception cref="ArgumentException">No groups, a null or empty group, a null parameter, or a parameter listed
    /// twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A hyper-parameter is out of range, or NaN.</exception>
    public GradientDescent(IEnumerable<ParameterGroup> groups, double learningRate, double momentum = 0, bool nesterov = false, double weightDecay = 0)
        : base(groups, learningRate)
    {
        _rule = new SgdRule(this, momentum, nesterov, weightDecay);
    }

    /// <summary>The momentum μ.</summary>
    public double Momentum => _rule.Momentum;

    /// <summary>Whether the step uses Nesterov momentum.</summary>
    public bool Nesterov => _rule.Nesterov;

    /// <summary>The L2 weight decay λ of a group that sets none.</summary>
    public double WeightDecay => _rule.WeightDecay;

    /// <inheritdoc/>
    private protected sealed override double? DefaultWeightDecay => _rule.WeightDecay;

    /// <inheritdoc/>
    private protected sealed override StateTable State => _rule.State;

    /// <summary>Shows the class and its hyper-parameters: <c>GradientDescent(learningRate: 0.1, momentum: 0.9, 2 parameters)</c>,
    /// and the groups when there is more than one.</summary>
    public sealed override string ToString() => _rule.Describe(this, GroupsDescription);

    /// <inheritdoc/>
    protected sealed override void Update(Parameter parameter, Tensor gradient, ParameterGroup group) =>
        UpdateRule.Apply(_rule, parameter, gradient, group);
}
