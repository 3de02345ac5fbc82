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
    private readonly Workspace _workspace = new();

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
        int n = theta.Length;
        Span<T> scratch = _workspace.Scratch<T>(n);
        if (DecoupledWeightDecay && WeightDecay != 0)
        {
            // θ ← θ(1 − ηλ)   (AdamW)
            TP.Multiply(theta, T.CreateChecked(1 - (learningRate * WeightDecay)), theta);
        }

        // g ← g + λθ      (L2 penalty)
        ReadOnlySpan<T> g = DecoupledWeightDecay ? gradient : _workspace.WeightDecayed(theta, gradient, WeightDecay);

        if (!_state.TryGetValue(parameter, out AdamState? state))
        {
            state = new AdamState(new T[n], new T[n]);
            _state.Add(parameter, state);
        }

        long t = ++state.Step;
        Span<T> m = (T[])state.M;
        Span<T> v = (T[])state.V;

        // m ← β₁m + (1 − β₁)g
        TP.Multiply(m, T.CreateChecked(Beta1), m);
        TP.MultiplyAdd(g, T.CreateChecked(1 - Beta1), m, m);

        // v ← β₂v + (1 − β₂)g²
        TP.Multiply(g, g, scratch);
        TP.Multiply(v, T.CreateChecked(Beta2), v);
        TP.MultiplyAdd(scratch, T.CreateChecked(1 - Beta2), v, v);

        // θ ← θ − η m̂ / (√v̂ + ε), with m̂ = m / (1 − β₁ᵗ) and v̂ = v / (1 − β₂ᵗ), written as PyTorch does:
        // θ ← θ − (η / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
        double correction1 = 1 - Math.Pow(Beta1, t);
        double correction2Sqrt = Math.Sqrt(1 - Math.Pow(Beta2, t));
        TP.Sqrt(v, scratch);
        TP.Divide(scratch, T.CreateChecked(correction2Sqrt), scratch);
        TP.Add(scratch, T.CreateChecked(Epsilon), scratch);
        TP.Divide(m, scratch, scratch);
        TP.MultiplyAdd(scratch, T.CreateChecked(-learningRate / correction1), theta, theta);
    }
}
