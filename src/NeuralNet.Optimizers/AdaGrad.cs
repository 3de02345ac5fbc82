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
    private readonly Workspace _workspace = new();

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
    protected override void Update(Parameter parameter, Tensor gradient) => UpdateRule.Apply(this, parameter, gradient, LearningRate);

    /// <inheritdoc/>
    void IUpdateRule.Update<T>(Parameter parameter, ReadOnlySpan<T> gradient, double learningRate)
    {
        Span<T> theta = parameter.AsSpan<T>();
        int n = theta.Length;
        Span<T> denominator = _workspace.Scratch<T>(n);

        // g ← g + λθ
        ReadOnlySpan<T> g = _workspace.WeightDecayed(theta, gradient, WeightDecay);

        if (!_state.TryGetValue(parameter, out AdaGradState? state))
        {
            state = new AdaGradState(new T[n]);
            _state.Add(parameter, state);
        }

        // G ← G + g²
        Span<T> sum = (T[])state.SumOfSquares;
        TP.MultiplyAdd(g, g, sum, sum);

        // θ ← θ − η g / (√G + ε)
        TP.Sqrt(sum, denominator);
        TP.Add(denominator, T.CreateChecked(Epsilon), denominator);
        TP.Divide(g, denominator, denominator);
        TP.MultiplyAdd(denominator, T.CreateChecked(-learningRate), theta, theta);
    }
}
