using System.Runtime.CompilerServices;

namespace NeuralNet.Optimizers;

/// <summary>
/// Gradient descent with (heavy-ball) momentum, as the classic lecture notes present it: the rule of
/// <see cref="GradientDescent"/> with μ = 0.9 by default.
/// </summary>
/// <remarks>
/// <para>With gradient g = ∇θL, learning rate η and momentum μ, each step computes, per element:</para>
/// <code>
/// b ← μb + g          (first step: b = g)
/// θ ← θ − ηb
/// </code>
/// <para>For a constant η this is the notes' v ← μv − ηg, θ ← θ + v (with v = −ηb): a ball rolling downhill gathers
/// speed along directions where the gradient keeps its sign and damps oscillation where it flips.</para>
/// <para>Reference: B. T. Polyak, "Some methods of speeding up the convergence of iteration methods", USSR Comput.
/// Math. Math. Phys. 4(5) (1964).</para>
/// </remarks>
public sealed class Momentum : Optimizer
{
    private readonly SgdRule _rule;

    /// <summary>Creates a momentum optimizer.</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="learningRate">η ≥ 0.</param>
    /// <param name="momentum">μ in [0, 1).</param>
    /// <exception cref="ArgumentException">No parameters, or one of them twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A hyper-parameter is out of range, or NaN.</exception>
    // `[]` and `[null]` convert to both parameter lists and group lists: take them as (refused) parameter lists
    [OverloadResolutionPriority(1)]
    public Momentum(IEnumerable<Parameter> parameters, double learningRate, double momentum = 0.9)
        : this([new ParameterGroup(parameters)], learningRate, momentum)
    {
    }

    /// <summary>Creates a momentum optimizer over parameter groups, each with its own η if it sets one.</summary>
    /// <param name="groups">The parameter groups; a group's null learning rate takes <paramref name="learningRate"/>.</param>
    /// <param name="learningRate">η ≥ 0.</param>
    /// <param name="momentum">μ in [0, 1).</param>
    /// <exception cref="ArgumentException">No groups, a null or empty group, a null parameter, a parameter listed twice,
    /// or a group with a weight decay (this rule has none; use <see cref="Sgd"/>).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A hyper-parameter is out of range, or NaN.</exception>
    public Momentum(IEnumerable<ParameterGroup> groups, double learningRate, double momentum = 0.9)
        : base(groups, learningRate)
    {
        _rule = new SgdRule(this, momentum, nesterov: false, weightDecay: 0);
        for (int g = 0; g < Groups.Count; g++)
        {
            if (Groups[g].WeightDecay is { } decay)
            {
                throw new ArgumentException(
                    $"Momentum: group {g} has weightDecay {Hyperparameter.Format(decay)}; Momentum has no weight decay (use Sgd).",
                    nameof(groups));
            }
        }
    }

    /// <summary>The momentum μ (named so because a member cannot share its class's name).</summary>
    public double Coefficient => _rule.Momentum;

    /// <inheritdoc/>
    private protected override double? DefaultWeightDecay => null;

    /// <inheritdoc/>
    private protected override StateTable State => _rule.State;

    /// <summary>Shows the class and its hyper-parameters: <c>Momentum(learningRate: 0.1, momentum: 0.9, 2 parameters)</c>,
    /// and the groups when there is more than one.</summary>
    public override string ToString() => _rule.Describe(this, GroupsDescription);

    /// <inheritdoc/>
    protected override void Update(Parameter parameter, Tensor gradient, ParameterGroup group) =>
        UpdateRule.Apply(_rule, parameter, gradient, group);
}
