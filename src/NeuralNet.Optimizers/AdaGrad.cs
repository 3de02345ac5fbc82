using System.Numerics;

namespace NeuralNet.Optimizers;

/// <summary>Per-parameter state of <see cref="AdaGrad"/>: the running sum of squared gradients G.</summary>
internal sealed class AdaGradState(Array sumOfSquares)
{
    /// <summary>G, a <c>float[]</c> or <c>double[]</c> matching the parameter's dtype; starts at 0.</summary>
    public Array SumOfSquares { get; } = sumOfSquares;
}

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
    private readonly Dictionary<Parameter, AdaGradState> _state = new(ReferenceEqualityComparer.Instance);

    /// <summary>Creates an AdaGrad optimizer.</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="learningRate">η ≥ 0.</param>
    /// <param name="epsilon">ε &gt; 0, added to √G for numerical stability.</param>
    /// <param name="weightDecay">λ ≥ 0, the L2 penalty added to the gradient.</param>
    /// <exception cref="ArgumentException">No parameters, or one of them twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A hyper-parameter is out of range, or NaN.</exception>
    public AdaGrad(IEnumerable<Parameter> parameters, double learningRate = 0.01, double epsilon = 1e-10, double weightDecay = 0)
        : base(parameters, learningRate)
    {
        Epsilon = Hyperparameter.Positive(this, nameof(epsilon), epsilon);
        WeightDecay = Hyperparameter.NonNegative(this, nameof(weightDecay), weightDecay);
    }

    /// <summary>ε, added to √G.</summary>
    public double Epsilon { get; }

    /// <summary>The L2 weight decay λ.</summary>
    public double WeightDecay { get; }

    /// <summary>Shows the class and its hyper-parameters.</summary>
    public override string ToString() =>
        $"AdaGrad(learningRate: {Hyperparameter.Format(LearningRate)}, epsilon: {Hyperparameter.Format(Epsilon)}"
        + (WeightDecay != 0 ? $", weightDecay: {Hyperparameter.Format(WeightDecay)}" : string.Empty)
        + $", {Parameters.Count} parameters)";

    internal AdaGradState? StateOf(Parameter parameter) => _state.GetValueOrDefault(parameter);

    /// <inheritdoc/>
    protected override void Update(Parameter parameter, Tensor gradient, ParameterGroup group) =>
        UpdateRule.Apply(this, parameter, gradient, group.LearningRate);

    /// <inheritdoc/>
    void IUpdateRule.Update<T>(Parameter parameter, ReadOnlySpan<T> gradient, double learningRate)
    {
        Span<T> theta = parameter.AsSpan<T>();
        if (!_state.TryGetValue(parameter, out AdaGradState? state))
        {
            state = new AdaGradState(new T[theta.Length]);
            _state.Add(parameter, state);
        }

        FusedUpdate.Run(theta, gradient, (T[])state.SumOfSquares, default, new AdaGradKernel<T>(this, learningRate));
    }

    /// <summary>AdaGrad's update of one vector of elements.</summary>
    private readonly struct AdaGradKernel<T>(AdaGrad owner, double learningRate) : IUpdateKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly T _weightDecay = T.CreateChecked(owner.WeightDecay);
        private readonly T _negativeLearningRate = T.CreateChecked(-learningRate);
        private readonly Vector<T> _epsilon = new(T.CreateChecked(owner.Epsilon));
        private readonly bool _decays = owner.WeightDecay != 0;

        public void Apply(ref Vector<T> theta, Vector<T> gradient, ref Vector<T> sum, ref Vector<T> unused)
        {
            // g ← g + λθ
            Vector<T> g = _decays ? (theta * _weightDecay) + gradient : gradient;

            // G ← G + g²;  θ ← θ − η g / (√G + ε)
            sum = (g * g) + sum;
            theta = (g / (Vector.SquareRoot(sum) + _epsilon) * _negativeLearningRate) + theta;
        }
    }
}
