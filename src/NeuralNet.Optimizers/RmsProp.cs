using System.Numerics;

namespace NeuralNet.Optimizers;

/// <summary>Per-parameter state of <see cref="RmsProp"/>.</summary>
internal sealed class RmsPropState(Array squareAverage, Array? momentumBuffer)
{
    /// <summary>v, the running average of g², a <c>float[]</c> or <c>double[]</c> matching the parameter; starts at 0.</summary>
    public Array SquareAverage { get; } = squareAverage;

    /// <summary>b, the momentum buffer (starts at 0), or null when μ = 0.</summary>
    public Array? MomentumBuffer { get; } = momentumBuffer;
}

/// <summary>
/// RMSProp: divides the gradient by a running root-mean-square of recent gradients (PyTorch's
/// <c>torch.optim.RMSprop</c>, non-centered).
/// </summary>
/// <remarks>
/// <para>With gradient g = ∇θL, learning rate η, smoothing α, epsilon ε, momentum μ and weight decay λ, each step
/// computes, per element:</para>
/// <code>
/// g ← g + λθ
/// v ← αv + (1 − α)g²              (v starts at 0)
/// θ ← θ − η g / (√v + ε)          if μ = 0
/// b ← μb + g / (√v + ε),  θ ← θ − ηb   otherwise (b starts at 0)
/// </code>
/// <para>Reference: G. Hinton, N. Srivastava and K. Swersky, "Neural Networks for Machine Learning", lecture 6e
/// (Coursera, 2012), where RMSProp was introduced; the ε and momentum placement follow PyTorch.</para>
/// </remarks>
public sealed class RmsProp : Optimizer, IUpdateRule
{
    private readonly Dictionary<Parameter, RmsPropState> _state = new(ReferenceEqualityComparer.Instance);

    /// <summary>Creates an RMSProp optimizer.</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="learningRate">η ≥ 0.</param>
    /// <param name="alpha">α in [0, 1), the smoothing constant of the average of g².</param>
    /// <param name="epsilon">ε &gt; 0, added to √v for numerical stability.</param>
    /// <param name="momentum">μ in [0, 1); 0 for none.</param>
    /// <param name="weightDecay">λ ≥ 0, the L2 penalty added to the gradient.</param>
    /// <exception cref="ArgumentException">No parameters, or one of them twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A hyper-parameter is out of range, or NaN.</exception>
    public RmsProp(
        IEnumerable<Parameter> parameters,
        double learningRate = 0.01,
        double alpha = 0.99,
        double epsilon = 1e-8,
        double momentum = 0,
        double weightDecay = 0)
        : base(parameters, learningRate)
    {
        Alpha = Hyperparameter.UnitInterval(this, nameof(alpha), alpha);
        Epsilon = Hyperparameter.Positive(this, nameof(epsilon), epsilon);
        Momentum = Hyperparameter.UnitInterval(this, nameof(momentum), momentum);
        WeightDecay = Hyperparameter.NonNegative(this, nameof(weightDecay), weightDecay);
    }

    /// <summary>α, the smoothing constant of the running average of g².</summary>
    public double Alpha { get; }

    /// <summary>ε, added to √v.</summary>
    public double Epsilon { get; }

    /// <summary>The momentum μ.</summary>
    public double Momentum { get; }

    /// <summary>The L2 weight decay λ.</summary>
    public double WeightDecay { get; }

    /// <summary>Shows the class and its hyper-parameters.</summary>
    public override string ToString() =>
        $"RmsProp(learningRate: {Hyperparameter.Format(LearningRate)}, alpha: {Hyperparameter.Format(Alpha)}, "
        + $"epsilon: {Hyperparameter.Format(Epsilon)}"
        + (Momentum != 0 ? $", momentum: {Hyperparameter.Format(Momentum)}" : string.Empty)
        + (WeightDecay != 0 ? $", weightDecay: {Hyperparameter.Format(WeightDecay)}" : string.Empty)
        + $", {Parameters.Count} parameters)";

    internal RmsPropState? StateOf(Parameter parameter) => _state.GetValueOrDefault(parameter);

    /// <inheritdoc/>
    protected override void Update(Parameter parameter, Tensor gradient, ParameterGroup group) =>
        UpdateRule.Apply(this, parameter, gradient, group.LearningRate);

    /// <inheritdoc/>
    void IUpdateRule.Update<T>(Parameter parameter, ReadOnlySpan<T> gradient, double learningRate)
    {
        Span<T> theta = parameter.AsSpan<T>();
        if (!_state.TryGetValue(parameter, out RmsPropState? state))
        {
            state = new RmsPropState(new T[theta.Length], Momentum != 0 ? new T[theta.Length] : null);
            _state.Add(parameter, state);
        }

        FusedUpdate.Run(theta, gradient, (T[])state.SquareAverage, (T[]?)state.MomentumBuffer, new RmsPropKernel<T>(this, learningRate));
    }

    /// <summary>RMSProp's update of one vector of elements.</summary>
    private readonly struct RmsPropKernel<T>(RmsProp owner, double learningRate) : IUpdateKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly T _weightDecay = T.CreateChecked(owner.WeightDecay);
        private readonly T _alpha = T.CreateChecked(owner.Alpha);
        private readonly T _oneMinusAlpha = T.CreateChecked(1 - owner.Alpha);
        private readonly T _momentum = T.CreateChecked(owner.Momentum);
        private readonly T _negativeLearningRate = T.CreateChecked(-learningRate);
        private readonly Vector<T> _epsilon = new(T.CreateChecked(owner.Epsilon));
        private readonly bool _decays = owner.WeightDecay != 0, _hasMomentum = owner.Momentum != 0;

        public void Apply(ref Vector<T> theta, Vector<T> gradient, ref Vector<T> v, ref Vector<T> buffer)
        {
            // g ← g + λθ
            Vector<T> g = _decays ? (theta * _weightDecay) + gradient : gradient;

            // v ← αv + (1 − α)g²;  s ← g / (√v + ε)
            v = (g * g * _oneMinusAlpha) + (v * _alpha);
            Vector<T> direction = g / (Vector.SquareRoot(v) + _epsilon);

            // b ← μb + s
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
