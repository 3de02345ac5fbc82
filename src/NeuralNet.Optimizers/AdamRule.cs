using System.Numerics;

namespace NeuralNet.Optimizers;

/// <summary>Per-parameter state of <see cref="Adam"/> and <see cref="AdamW"/>.</summary>
internal sealed class AdamState(Array m, Array v)
{
    /// <summary>m, the running average of g (first moment), a <c>float[]</c> or <c>double[]</c>; starts at 0.</summary>
    public Array M { get; } = m;

    /// <summary>v, the running average of g² (second moment), like <see cref="M"/>; starts at 0.</summary>
    public Array V { get; } = v;

    /// <summary>t, how many updates this parameter has had: the exponent of the bias corrections.</summary>
    /// <remarks>Counted per parameter, as PyTorch does, so a parameter that first gets a gradient late is corrected as
    /// a fresh one; it equals <see cref="Optimizer.StepCount"/> when every parameter has a gradient at every step.</remarks>
    public long Step { get; set; }
}

/// <summary>The one implementation of Adam's update, shared by <see cref="Adam"/> and <see cref="AdamW"/>.</summary>
internal sealed class AdamRule : IUpdateRule
{
    private readonly Dictionary<Parameter, AdamState> _state = new(ReferenceEqualityComparer.Instance);

    public AdamRule(Optimizer owner, double beta1, double beta2, double epsilon, double weightDecay, bool decoupledWeightDecay)
    {
        Beta1 = Hyperparameter.UnitInterval(owner, nameof(beta1), beta1);
        Beta2 = Hyperparameter.UnitInterval(owner, nameof(beta2), beta2);
        Epsilon = Hyperparameter.Positive(owner, nameof(epsilon), epsilon);
        WeightDecay = Hyperparameter.NonNegative(owner, nameof(weightDecay), weightDecay);
        DecoupledWeightDecay = decoupledWeightDecay;
    }

    public double Beta1 { get; }

    public double Beta2 { get; }

    public double Epsilon { get; }

    public double WeightDecay { get; }

    public bool DecoupledWeightDecay { get; }

    internal AdamState? StateOf(Parameter parameter) => _state.GetValueOrDefault(parameter);

    public string Describe(Optimizer owner) =>
        $"{owner.GetType().Name}(learningRate: {Hyperparameter.Format(owner.LearningRate)}, beta1: {Hyperparameter.Format(Beta1)}, "
        + $"beta2: {Hyperparameter.Format(Beta2)}, epsilon: {Hyperparameter.Format(Epsilon)}"
        + (WeightDecay != 0 ? $", weightDecay: {Hyperparameter.Format(WeightDecay)}" : string.Empty)
        + (WeightDecay != 0 && DecoupledWeightDecay && owner is not AdamW ? " (decoupled)" : string.Empty)
        + $", {owner.Parameters.Count} parameters)";

    public void Update<T>(Parameter parameter, ReadOnlySpan<T> gradient, double learningRate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> theta = parameter.AsSpan<T>();
        if (!_state.TryGetValue(parameter, out AdamState? state))
        {
            state = new AdamState(new T[theta.Length], new T[theta.Length]);
            _state.Add(parameter, state);
        }

        long t = ++state.Step;
        FusedUpdate.Run(theta, gradient, (T[])state.M, (T[])state.V, new AdamKernel<T>(this, learningRate, t));
    }

    /// <summary>Adam's update of one vector of elements, with PyTorch's order of operations.</summary>
    private readonly struct AdamKernel<T> : IUpdateKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly T _beta1, _oneMinusBeta1, _beta2, _oneMinusBeta2, _decayFactor, _weightDecay, _negativeStepSize;
        private readonly Vector<T> _correction2Sqrt, _epsilon;
        private readonly bool _decoupled, _coupled;

        public AdamKernel(AdamRule rule, double learningRate, long step)
        {
            _beta1 = T.CreateChecked(rule.Beta1);
            _oneMinusBeta1 = T.CreateChecked(1 - rule.Beta1);
            _beta2 = T.CreateChecked(rule.Beta2);
            _oneMinusBeta2 = T.CreateChecked(1 - rule.Beta2);
            _decoupled = rule.DecoupledWeightDecay && rule.WeightDecay != 0;
            _coupled = !rule.DecoupledWeightDecay && rule.WeightDecay != 0;
            _decayFactor = T.CreateChecked(1 - (learningRate * rule.WeightDecay));
            _weightDecay = T.CreateChecked(rule.WeightDecay);
            _negativeStepSize = T.CreateChecked(-learningRate / (1 - Math.Pow(rule.Beta1, step)));
            _correction2Sqrt = new Vector<T>(T.CreateChecked(Math.Sqrt(1 - Math.Pow(rule.Beta2, step))));
            _epsilon = new Vector<T>(T.CreateChecked(rule.Epsilon));
        }

        public void Apply(ref Vector<T> theta, Vector<T> gradient, ref Vector<T> m, ref Vector<T> v)
        {
            // θ ← θ(1 − ηλ)   (AdamW)
            if (_decoupled)
            {
                theta *= _decayFactor;
            }

            // g ← g + λθ      (L2 penalty)
            Vector<T> g = _coupled ? (theta * _weightDecay) + gradient : gradient;

            // m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²
            m = (g * _oneMinusBeta1) + (m * _beta1);
            v = (g * g * _oneMinusBeta2) + (v * _beta2);

            // θ ← θ − η m̂ / (√v̂ + ε), with m̂ = m / (1 − β₁ᵗ) and v̂ = v / (1 − β₂ᵗ), written as PyTorch does:
            // θ ← θ − (η / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
            theta = (m / ((Vector.SquareRoot(v) / _correction2Sqrt) + _epsilon) * _negativeStepSize) + theta;
        }
    }
}
