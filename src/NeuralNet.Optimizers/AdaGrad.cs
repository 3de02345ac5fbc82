using System.Runtime.CompilerServices;
using System.Numerics;

namespace NeuralNet.Optimizers;

/// <summary>
/// AdaGrad: a per-element step size that shrinks with the sum of the squared gradients seen so far
/// (PyTorch's <c>torch.optim.Adagrad</c> with no learning-rate decay and a zero initial accumulator).
/// </summary>
/// <remarks>
/// <para>With gradient g = ∇θL, learning rate η, epsilon ε and weight decay λ, each step computes, per element:</para>
/// <code>
/// g ← g + λθ
/// G ← G + g²          (G starts at 0)
/// θ ← θ − η g / (√G + ε)
/// </code>
/// <para>Reference: J. Duchi, E. Hazan and Y. Singer, "Adaptive Subgradient Methods for Online Learning and Stochastic
/// Optimization", JMLR 12 (2011) 2121–2159.</para>
/// </remarks>
public sealed class AdaGrad : Optimizer, IUpdateRule
{
    // G, and PyTorch's per-parameter step (counted, though only PyTorch's lr_decay reads it)
    private readonly StateTable _state = new(countsSteps: true, "sum", null, null);

    /// <summary>Creates an AdaGrad optimizer.</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="learningRate">η ≥ 0.</param>
    /// <param name="epsilon">ε &gt; 0, added to √G for numerical stability.</param>
    /// <param name="weightDecay">λ ≥ 0, the L2 penalty added to the gradient.</param>
    /// <exception cref="ArgumentException">No parameters, or one of them twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A hyper-parameter is out of range, or NaN.</exception>
    // `[]` and `[null]` convert to both parameter lists and group lists: take them as (refused) parameter lists
    [OverloadResolutionPriority(1)]
    public AdaGrad(IEnumerable<Parameter> parameters, double learningRate = 0.01, double epsilon = 1e-10, double weightDecay = 0)
        : this([new ParameterGroup(parameters)], learningRate, epsilon, weightDecay)
    {
    }

    /// <summary>Creates an AdaGrad optimizer over parameter groups, each with its own η and λ if it sets them.</summary>
    /// <param name="groups">The parameter groups; a group's null learning rate or weight decay takes the value given here.</param>
    /// <param name="learningRate">η ≥ 0.</param>
    /// <param name="epsilon">ε &gt; 0, added to √G for numerical stability.</param>
    /// <param name="weightDecay">λ ≥ 0, the L2 penalty added to the gradient.</param>
    /// <exception cref="ArgumentException">No groups, a null or empty group, a null parameter, or a parameter listed
    /// twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A hyper-parameter is out of range, or NaN.</exception>
    public AdaGrad(IEnumerable<ParameterGroup> groups, double learningRate = 0.01, double epsilon = 1e-10, double weightDecay = 0)
        : base(groups, learningRate)
    {
        Epsilon = Hyperparameter.Positive(this, nameof(epsilon), epsilon);
        WeightDecay = Hyperparameter.NonNegative(this, nameof(weightDecay), weightDecay);
    }

    /// <summary>ε, added to √G.</summary>
    public double Epsilon { get; }

    /// <summary>The L2 weight decay λ of a group that sets none.</summary>
    public double WeightDecay { get; }

    /// <inheritdoc/>
    private protected override double? DefaultWeightDecay => WeightDecay;

    /// <inheritdoc/>
    private protected override StateTable State => _state;

    /// <summary>Shows the class and its hyper-parameters, and the groups when there is more than one.</summary>
    public override string ToString() =>
        $"AdaGrad(learningRate: {Hyperparameter.Format(LearningRate)}, epsilon: {Hyperparameter.Format(Epsilon)}"
        + (WeightDecay != 0 ? $", weightDecay: {Hyperparameter.Format(WeightDecay)}" : string.Empty)
        + $"{GroupsDescription}, {Parameters.Count} parameters)";

    /// <inheritdoc/>
    protected override void Update(Parameter parameter, Tensor gradient, ParameterGroup group) =>
        UpdateRule.Apply(this, parameter, gradient, group);

    /// <inheritdoc/>
    void IUpdateRule.Update<T>(Parameter parameter, ReadOnlySpan<T> gradient, ParameterGroup group)
    {
        ParameterState state = _state.GetOrCreate<T>(parameter, out _);
        state.Step++;
        var kernel = new AdaGradKernel<T>(this, group.LearningRate, WeightDecayOf(group));
        FusedUpdate.Run(parameter.AsSpan<T>(), gradient, state.Slot<T>(0), default, default, kernel);
    }

    /// <summary>AdaGrad's update of one vector of elements.</summary>
    private readonly struct AdaGradKernel<T>(AdaGrad owner, double learningRate, double weightDecay) : IUpdateKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly T _weightDecay = T.CreateChecked(weightDecay);
        private readonly T _negativeLearningRate = T.CreateChecked(-learningRate);
        private readonly Vector<T> _epsilon = new(T.CreateChecked(owner.Epsilon));
        private readonly bool _decays = weightDecay != 0;

        // inlined into the fused loop, which is compiled fully optimised from the first step

        [MethodImpl(MethodImplOptions.AggressiveInlining)]

        public void Apply(ref Vector<T> theta, Vector<T> gradient, ref Vector<T> sum, ref Vector<T> unused1, ref Vector<T> unused2)
        {
            // g ← g + λθ
            Vector<T> g = _decays ? (theta * _weightDecay) + gradient : gradient;

            // G ← G + g²;  θ ← θ − η g / (√G + ε)
            sum = (g * g) + sum;
            theta = (g / (Vector.SquareRoot(sum) + _epsilon) * _negativeLearningRate) + theta;
        }
    }
}
