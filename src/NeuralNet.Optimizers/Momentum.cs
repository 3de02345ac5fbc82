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
    public Momentum(IEnumerable<Parameter> parameters, double learningRate, double momentum = 0.9)
        : base(parameters, learningRate)
    {
        _rule = new SgdRule(this, momentum, nesterov: false, weightDecay: 0);
    }

    /// <summary>The momentum μ (named so because a member cannot share its class's name).</summary>
    public double Coefficient => _rule.Momentum;

    internal SgdRule Rule => _rule;

    /// <summary>Shows the class and its hyper-parameters: <c>Momentum(learningRate: 0.1, momentum: 0.9, 2 parameters)</c>.</summary>
    public override string ToString() => _rule.Describe(this);

    /// <inheritdoc/>
    protected override void Update(Parameter parameter, Tensor gradient, ParameterGroup group) =>
        UpdateRule.Apply(_rule, parameter, gradient, group.LearningRate);
}
