using System.Numerics;

namespace NeuralNet.Optimizers;

/// <summary>Per-parameter state of the gradient-descent rule: the momentum buffer b (one value per element).</summary>
internal sealed class MomentumState(Array buffer)
{
    /// <summary>b, a <c>float[]</c> or <c>double[]</c> matching the parameter's dtype.</summary>
    public Array Buffer { get; } = buffer;
}

/// <summary>
/// The one implementation of PyTorch's SGD rule (dampening 0), shared by <see cref="GradientDescent"/>,
/// <see cref="Sgd"/> and <see cref="Momentum"/>.
/// </summary>
internal sealed class SgdRule : IUpdateRule
{
    private readonly Dictionary<Parameter, MomentumState> _state = new(ReferenceEqualityComparer.Instance);

    public SgdRule(Optimizer owner, double momentum, bool nesterov, double weightDecay)
    {
        Momentum = Hyperparameter.UnitInterval(owner, nameof(momentum), momentum);
        WeightDecay = Hyperparameter.NonNegative(owner, nameof(weightDecay), weightDecay);
        if (nesterov && momentum == 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(nesterov), $"{owner.GetType().Name}: nesterov needs a positive momentum; momentum is 0.");
        }

        Nesterov = nesterov;
    }

    public double Momentum { get; }

    public bool Nesterov { get; }

    public double WeightDecay { get; }

    /// <summary>The momentum state of <paramref name="parameter"/>, or null before its first update with momentum.</summary>
    internal MomentumState? StateOf(Parameter parameter) => _state.GetValueOrDefault(parameter);

    public string Describe(Optimizer owner)
    {
        string momentum = Momentum != 0 ? $", momentum: {Hyperparameter.Format(Momentum)}" : string.Empty;
        string nesterov = Nesterov ? ", nesterov" : string.Empty;
        string decay = WeightDecay != 0 ? $", weightDecay: {Hyperparameter.Format(WeightDecay)}" : string.Empty;
        return $"{owner.GetType().Name}(learningRate: {Hyperparameter.Format(owner.LearningRate)}{momentum}{nesterov}{decay}, "
            + $"{owner.Parameters.Count} parameters)";
    }

    public void Update<T>(Parameter parameter, ReadOnlySpan<T> gradient, double learningRate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> theta = parameter.AsSpan<T>();
        bool first = false;
        Span<T> buffer = default;
        if (Momentum != 0)
        {
            if (!_state.TryGetValue(parameter, out MomentumState? state))
            {
                state = new MomentumState(new T[theta.Length]);
                _state.Add(parameter, state);
                first = true;
            }

            buffer = (T[])state.Buffer;
        }

        FusedUpdate.Run(theta, gradient, buffer, default, new SgdKernel<T>(this, learningRate, first));
    }

    /// <summary>The SGD rule's update of one vector of elements.</summary>
    private readonly struct SgdKernel<T>(SgdRule rule, double learningRate, bool first) : IUpdateKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly T _weightDecay = T.CreateChecked(rule.WeightDecay);
        private readonly T _momentum = T.CreateChecked(rule.Momentum);
        private readonly T _negativeLearningRate = T.CreateChecked(-learningRate);
        private readonly bool _decays = rule.WeightDecay != 0, _hasMomentum = rule.Momentum != 0, _nesterov = rule.Nesterov;

        public void Apply(ref Vector<T> theta, Vector<T> gradient, ref Vector<T> buffer, ref Vector<T> unused)
        {
            // g ← g + λθ
            Vector<T> direction = _decays ? (theta * _weightDecay) + gradient : gradient;
            if (_hasMomentum)
            {
                // b₁ = g, then b ← μb + g; the step goes along b, or along g + μb with Nesterov
                buffer = first ? direction : (buffer * _momentum) + direction;
                direction = _nesterov ? (buffer * _momentum) + direction : buffer;
            }

            // θ ← θ − ηd
            theta = (direction * _negativeLearningRate) + theta;
        }
    }
}
