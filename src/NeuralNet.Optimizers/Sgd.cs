using System.Runtime.CompilerServices;

namespace NeuralNet.Optimizers;

/// <summary>
/// Stochastic gradient descent under PyTorch's name (<c>torch.optim.SGD</c>): the same rule as
/// <see cref="GradientDescent"/>, for readers coming from PyTorch.
/// </summary>
/// <remarks>
/// <para>With gradient g = ∇θL, learning rate η, momentum μ and weight decay λ, each step computes, per element:</para>
/// <code>
/// g ← g + λθ
/// b ← μb + g          (first step: b = g)
/// d ← g + μb          if nesterov, else d ← b   (d = g when μ = 0)
/// θ ← θ − ηd
/// </code>
/// <para>"Stochastic" describes the data, not the rule: g is the gradient of a loss over one example or a mini-batch.
/// References: H. Robbins and S. Monro, "A Stochastic Approximation Method", Ann. Math. Statist. 22 (1951);
/// I. Sutskever, J. Martens, G. Dahl and G. Hinton, "On the importance of initialization and momentum in deep
/// learning", ICML 2013.</para>
/// </remarks>
public sealed class Sgd : GradientDescent
{
    /// <summary>Creates a stochastic-gradient-descent optimizer.</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="learningRate">η ≥ 0.</param>
    /// <param name="momentum">μ in [0, 1); 0 for none.</param>
    /// <param name="nesterov">Use Nesterov momentum (needs μ &gt; 0).</param>
    /// <param name="weightDecay">λ ≥ 0, the L2 penalty added to the gradient.</param>
    /// <exception cref="ArgumentException">No parameters, or one of them twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A hyper-parameter is out of range, or NaN.</exception>
    // `[]` and `[null]` convert to both parameter lists and group lists: take them as (refused) parameter lists
    [OverloadResolutionPriority(1)]
    public Sgd(IEnumerable<Parameter> parameters, double learningRate, double momentum = 0, bool nesterov = false, double weightDecay = 0)
        : base(parameters, learningRate, momentum, nesterov, weightDecay)
    {
    }

    /// <summary>Creates a stochastic-gradient-descent optimizer over parameter groups, each with its own η and λ if it
    /// sets them.</summary>
    /// <param name="groups">The parameter groups; a group's null learning rate or weight decay takes the value given here.</param>
    /// <param name="learningRate">η ≥ 0.</param>
    /// <param name="momentum">μ in [0, 1); 0 for none.</param>
    /// <param name="nesterov">Use Nesterov momentum (needs μ &gt; 0).</param>
    /// <param name="weightDecay">λ ≥ 0, the L2 penalty added to the gradient.</param>
    /// <exception cref="ArgumentException">No groups, a null or empty group, a null parameter, or a parameter listed
    /// twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A hyper-parameter is out of range, or NaN.</exception>
    public Sgd(IEnumerable<ParameterGroup> groups, double learningRate, double momentum = 0, bool nesterov = false, double weightDecay = 0)
        : base(groups, learningRate, momentum, nesterov, weightDecay)
    {
    }
}
