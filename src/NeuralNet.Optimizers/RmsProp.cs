using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralNet.Optimizers;

/// <summary>
/// RMSProp: divides the gradient by a running root-mean-square of recent gradients, or with <c>centered</c> by their
/// running standard deviation (PyTorch's <c>torch.optim.RMSprop</c>).
/// </summary>
/// <remarks>
/// <para>With gradient g = ∇θL, learning rate η, smoothing α, epsilon ε, momentum μ and weight decay λ, each step
/// computes, per element:</para>
/// <code>
/// g ← g + λθ
/// v ← αv + (1 − α)g²              (v, ḡ and b start at 0)
/// d = √v + ε                       not centered
/// ḡ ← αḡ + (1 − α)g,  d = √(v − ḡ²) + ε   centered
/// θ ← θ − η g / d                  if μ = 0
/// b ← μb + g / d,  θ ← θ − ηb      otherwise
/// </code>
/// <para>Centering subtracts the squared mean of the gradient from its mean square, so that a gradient with a steady
/// non-zero mean is not scaled down as if it were noisy.</para>
/// <para>References: G. Hinton, N. Srivastava and K. Swersky, "Neural Networks for Machine Learning", lecture 6e
/// (Coursera, 2012), where RMSProp was introduced; A. Graves, "Generating Sequences With Recurrent Neural Networks"
/// (arXiv:1308.0850, 2013), the centered form; the ε and momentum placement follow PyTorch.</para>
/// </remarks>
public sealed class RmsProp : Optimizer, IUpdateRule
{
    // the kernel's state slots, in the order of the StateTable's names
    private const int SquareAverageSlot = 0, MomentumSlot = 1, GradientAverageSlot = 2;

    private readonly StateTable _state;

    /// <summary>Creates an RMSProp optimizer.</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="learningRate">η ≥ 0.</param>
    /// <param name="alpha">α in [0, 1), the smoothing constant of the averages of g² and g.</param>
    /// <param name="epsilon">ε &gt; 0, added to the root for numerical stability.</param>
    /// <param name="momentum">μ in [0, 1); 0 for none.</param>
    /// <param name="weightDecay">λ ≥ 0, the L2 penalty added to the gradient.</param>
    /// <param name="centered">Divide by the running standard deviation √(v − ḡ²) rather than the root mean square √v.</param>
    /// <exception cref="ArgumentException">No parameters, or one of them twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A hyper-parameter is out of range, or NaN.</exception>
    // `[]` and `[null]` convert to both parameter lists and group lists: take them as (refused) parameter lists
    [OverloadResolutionPriority(1)]
    public RmsProp(
        IEnumerable<Parameter> parameters,
        double learningRate = 0.01,
        double alpha = 0.99,
        double epsilon = 1e-8,
        double momentum = 0,
        double weightDecay = 0,
        bool centered = false)
        : this([new ParameterGroup(parameters)], learningRate, alpha, epsilon, momentum, weightDecay, centered)
    {
    }

    /// <summary>Creates an RMSProp optimizer over parameter groups, each with its own η and λ if it sets them.</summary>
    /// <param name="groups">The parameter groups; a group's null learning rate or weight decay takes the value given here.</param>
    /// <param name="learningRate">η ≥ 0.</param>
    /// <param name="alpha">α in [0, 1), the smoothing constant of the averages of g² and g.</param>
    /// <param name="epsilon">ε &gt; 0, added to the root for numerical stability.</param>
    /// <param name="momentum">μ in [0, 1); 0 for none.</param>
    /// <param name="weightDecay">λ ≥ 0, the L2 penalty added to the gradient.</param>
    /// <param name="centered">Divide by the running standard deviation √(v − ḡ²) rather than the root mean square √v.</param>
    /// <exception cref="ArgumentException">No groups, a null or empty group, a null parameter, or a parameter listed
    /// twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A hyper-parameter is out of range, or NaN.</exception>
    public RmsProp(
        IEnumerable<ParameterGroup> groups,
        double learningRate = 0.01,
        double alpha = 0.99,
        double epsilon = 1e-8,
        double momentum = 0,
        double weightDecay = 0,
        bool centered = false)
        : base(groups, learningRate)
    {
        Alpha = Hyperparameter.UnitInterval(this, nameof(alpha), alpha);
        Epsilon = Hyperparameter.Positive(this, nameof(epsilon), epsilon);
        Momentum = Hyperparameter.UnitInterval(this, nameof(momentum), momentum);
        WeightDecay = Hyperparameter.NonNegative(this, nameof(weightDecay), weightDecay);
        Centered = centered;
        _state = new StateTable(countsSteps: true, "square_avg", momentum != 0 ? "momentum_buffer" : null, centered ? "grad_avg" : null);
    }

    /// <summary>α, the smoothing constant of the running averages of g² and g.</summary>
    public double Alpha { get; }

    /// <summary>ε, added to the root.</summary>
    public double Epsilon { get; }

    /// <summary>The momentum μ.</summary>
    public double Momentum { get; }

    /// <summary>The L2 weight decay λ of a group that sets none.</summary>
    public double WeightDecay { get; }

    /// <summary>Whether the step divides by the running standard deviation of g rather than its root mean square.</summary>
    public bool Centered { get; }

    /// <inheritdoc/>
    private protected override double? DefaultWeightDecay => WeightDecay;

    /// <inheritdoc/>
    private protected override StateTable State => _state;

    /// <summary>Shows the class and its hyper-parameters, and the groups when there is more than one.</summary>
    public override string ToString() =>
        $"RmsProp(learningRate: {Hyperparameter.Format(LearningRate)}, alpha: {Hyperparameter.Format(Alpha)}, "
        + $"epsilon: {Hyperparameter.Format(Epsilon)}"
        + (Momentum != 0 ? $", momentum: {Hyperparameter.Format(Momentum)}" : string.Empty)
        + (WeightDecay != 0 ? $", weightDecay: {Hyperparameter.Format(WeightDecay)}" : string.Empty)
        + (Centered ? ", centered" : string.Empty)
        + $"{GroupsDescription}, {Parameters.Count} parameters)";

    /// <inheritdoc/>
    protected override void Update(Parameter parameter, Tensor gradient, ParameterGroup group) =>
        UpdateRule.Apply(this, parameter, gradient, group);

    /// <inheritdoc/>
    void IUpdateRule.Update<T>(Parameter parameter, ReadOnlySpan<T> gradient, ParameterGroup group)
    {
        ParameterState state = _state.GetOrCreate<T>(parameter, out _);
        state.Step++;
        var kernel = new RmsPropKernel<T>(this, group.LearningRate, WeightDecayOf(group));
        FusedUpdate.Run(
            parameter.AsSpan<T>(),
            gradient,
            state.Slot<T>(SquareAverageSlot),
            state.Slot<T>(MomentumSlot),
            state.Slot<T>(GradientAverageSlot),
            kernel);
    }

    /// <summary>RMSProp's update of one vector of elements, with PyTorch's order of operations.</summary>
    private readonly struct RmsPropKernel<T>(RmsProp owner, double learningRate, double weightDecay) : IUpdateKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly T _weightDecay = T.CreateChecked(weightDecay);
        private readonly T _alpha = T.CreateChecked(owner.Alpha);
        private readonly T _oneMinusAlpha = T.CreateChecked(1 - owner.Alpha);
        private readonly T _momentum = T.CreateChecked(owner.Momentum);
        private readonly T _negativeLearningRate = T.CreateChecked(-learningRate);
        private readonly Vector<T> _epsilon = new(T.CreateChecked(owner.Epsilon));
        private readonly bool _decays = weightDecay != 0, _hasMomentum = owner.Momentum != 0, _centered = owner.Centered;

        // inlined into the fused loop, which is compiled fully optimised from the first step

        [MethodImpl(MethodImplOptions.AggressiveInlining)]

        public void Apply(ref Vector<T> theta, Vector<T> gradient, ref Vector<T> v, ref Vector<T> buffer, ref Vector<T> gradientAverage)
        {
            // g ← g + λθ
            Vector<T> g = _decays ? (theta * _weightDecay) + gradient : gradient;

            // v ← αv + (1 − α)g²
            v = (g * g * _oneMinusAlpha) + (v * _alpha);

            // d = √v + ε, or centered: ḡ ← αḡ + (1 − α)g, d = √(v − ḡ²) + ε
            Vector<T> meanSquare = v;
            if (_centered)
            {
                gradientAverage = (g * _oneMinusAlpha) + (gradientAverage * _alpha);
                meanSquare = v - (gradientAverage * gradientAverage);
            }

            Vector<T> direction = g / (Vector.SquareRoot(meanSquare) + _epsilon);

            // b ← μb + g / d
            if (_hasMomentum)
            {
                buffer = (buffer * _momentum) + direction;
                direction = buffer;
            }

            // θ ← θ − η·direction
            theta = (direction * _negativeLearningRate) + theta;
        }
    }
}
