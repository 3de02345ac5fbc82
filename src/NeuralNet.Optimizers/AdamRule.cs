using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralNet.Optimizers;

/// <summary>The one implementation of Adam's update, shared by <see cref="Adam"/> and <see cref="AdamW"/>.</summary>
internal sealed class AdamRule : IUpdateRule
{
    // the kernel's state slots, in the order of the StateTable's names
    private const int FirstMomentSlot = 0, SecondMomentSlot = 1, MaxSecondMomentSlot = 2;

    public AdamRule(Optimizer owner, double beta1, double beta2, double epsilon, double weightDecay, bool decoupledWeightDecay, bool amsGrad)
    {
        Beta1 = Hyperparameter.UnitInterval(owner, nameof(beta1), beta1);
        Beta2 = Hyperparameter.UnitInterval(owner, nameof(beta2), beta2);
        Epsilon = Hyperparameter.Positive(owner, nameof(epsilon), epsilon);
        WeightDecay = Hyperparameter.NonNegative(owner, nameof(weightDecay), weightDecay);
        DecoupledWeightDecay = decoupledWeightDecay;
        AmsGrad = amsGrad;
        State = new StateTable(countsSteps: true, "exp_avg", "exp_avg_sq", amsGrad ? "max_exp_avg_sq" : null);
    }

    public double Beta1 { get; }

    public double Beta2 { get; }

    public double Epsilon { get; }

    public double WeightDecay { get; }

    public bool DecoupledWeightDecay { get; }

    public bool AmsGrad { get; }

    /// <summary>m, v and (with AMSGrad) the running maximum of v, with the step count t, of each parameter.</summary>
    public StateTable State { get; }

    public string Describe(Optimizer owner, string groups) =>
        $"{owner.GetType().Name}(learningRate: {Hyperparameter.Format(owner.LearningRate)}, beta1: {Hyperparameter.Format(Beta1)}, "
        + $"beta2: {Hyperparameter.Format(Beta2)}, epsilon: {Hyperparameter.Format(Epsilon)}"
        + (WeightDecay != 0 ? $", weightDecay: {Hyperparameter.Format(WeightDecay)}" : string.Empty)
        + (WeightDecay != 0 && DecoupledWeightDecay && owner is not AdamW ? " (decoupled)" : string.Empty)
        + (AmsGrad ? ", amsGrad" : string.Empty)
        + $"{groups}, {owner.Parameters.Count} parameters)";

    public void Update<T>(Parameter parameter, ReadOnlySpan<T> gradient, ParameterGroup group)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ParameterState state = State.GetOrCreate<T>(parameter, out _);
        long t = ++state.Step;
        var kernel = new AdamKernel<T>(this, group.LearningRate, group.WeightDecay ?? WeightDecay, t);
        FusedUpdate.Run(
            parameter.AsSpan<T>(),
            gradient,
            state.Slot<T>(FirstMomentSlot),
            state.Slot<T>(SecondMomentSlot),
            state.Slot<T>(MaxSecondMomentSlot),
            kernel);
    }

    /// <summary>Adam's update of one vector of elements, with PyTorch's order of operations.</summary>
    private readonly struct AdamKernel<T> : IUpdateKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly T _beta1, _oneMinusBeta1, _beta2, _oneMinusBeta2, _decayFactor, _weightDecay, _negativeStepSize;
        private readonly Vector<T> _correction2Sqrt, _epsilon;
        private readonly bool _decoupled, _coupled, _amsGrad;

        public AdamKernel(AdamRule rule, double learningRate, double weightDecay, long step)
        {
            _beta1 = T.CreateChecked(rule.Beta1);
            _oneMinusBeta1 = T.CreateChecked(1 - rule.Beta1);
            _beta2 = T.CreateChecked(rule.Beta2);
            _oneMinusBeta2 = T.CreateChecked(1 - rule.Beta2);
            _decoupled = rule.DecoupledWeightDecay && weightDecay != 0;
            _coupled = !rule.DecoupledWeightDecay && weightDecay != 0;
            _amsGrad = rule.AmsGrad;
            _decayFactor = T.CreateChecked(1 - (learningRate * weightDecay));
            _weightDecay = T.CreateChecked(weightDecay);
            _negativeStepSize = T.CreateChecked(-learningRate / (1 - Math.Pow(rule.Beta1, step)));
            _correction2Sqrt = new Vector<T>(T.CreateChecked(Math.Sqrt(1 - Math.Pow(rule.Beta2, step))));
            _epsilon = new Vector<T>(T.CreateChecked(rule.Epsilon));
        }

        // inlined into the fused loop, which is compiled fully optimised from the first step

        [MethodImpl(MethodImplOptions.AggressiveInlining)]

        public void Apply(ref Vector<T> theta, Vector<T> gradient, ref Vector<T> m, ref Vector<T> v, ref Vector<T> vMax)
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

            // AMSGrad: the denominator uses the largest v so far (before bias correction, as PyTorch keeps it)
            Vector<T> secondMoment = v;
            if (_amsGrad)
            {
                vMax = Vector.Max(vMax, v);
                secondMoment = vMax;
            }

            // θ ← θ − η m̂ / (√v̂ + ε), with m̂ = m / (1 − β₁ᵗ) and v̂ = v / (1 − β₂ᵗ), written as PyTorch does:
            // θ ← θ − (η / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
            theta = (m / ((Vector.SquareRoot(secondMoment) / _correction2Sqrt) + _epsilon) * _negativeStepSize) + theta;
        }
    }
}
