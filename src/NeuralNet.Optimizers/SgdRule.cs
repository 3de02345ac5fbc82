using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralNet.Optimizers;

/// <summary>
/// The one implementation of PyTorch's SGD rule (dampening 0), shared by <see cref="GradientDescent"/>,
/// <see cref="Sgd"/> and <see cref="Momentum"/>.
/// </summary>
internal sealed class SgdRule : IUpdateRule
{
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

        // PyTorch's SGD keeps no step count; without momentum it keeps nothing
        State = new StateTable(countsSteps: false, momentum != 0 ? "momentum_buffer" : null);
    }

    public double Momentum { get; }

    public bool Nesterov { get; }

    public double WeightDecay { get; }

    /// <summary>The momentum buffer b of each parameter (none without momentum).</summary>
    public StateTable State { get; }

    public string Describe(Optimizer owner, string groups)
    {
        string momentum = Momentum != 0 ? $", momentum: {Hyperparameter.Format(Momentum)}" : string.Empty;
        string nesterov = Nesterov ? ", nesterov" : string.Empty;
        string decay = WeightDecay != 0 ? $", weightDecay: {Hyperparameter.Format(WeightDecay)}" : string.Empty;
        return $"{owner.GetType().Name}(learningRate: {Hyperparameter.Format(owner.LearningRate)}{momentum}{nesterov}{decay}{groups}, "
            + $"{owner.Parameters.Count} parameters)";
    }

    public void Update<T>(Parameter parameter, ReadOnlySpan<T> gradient, ParameterGroup group)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool first = false;
        Span<T> buffer = Momentum != 0 ? State.GetOrCreate<T>(parameter, out first).Slot<T>(0) : default;
        var kernel = new SgdKernel<T>(this, group.LearningRate, group.WeightDecay ?? WeightDecay, first);
        FusedUpdate.Run(parameter.AsSpan<T>(), gradient, buffer, default, default, kernel);
    }

    /// <summary>The SGD rule's update of one vector of elements.</summary>
    private readonly struct SgdKernel<T>(SgdRule rule, double learningRate, double weightDecay, bool first) : IUpdateKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly T _weightDecay = T.CreateChecked(weightDecay);
        private readonly T _momentum = T.CreateChecked(rule.Momentum);
        private readonly T _negativeLearningRate = T.CreateChecked(-learningRate);
        private readonly bool _decays = weightDecay != 0, _hasMomentum = rule.Momentum != 0, _nesterov = rule.Nesterov;

        // inlined into the fused loop, which is compiled fully optimised from the first step

        [MethodImpl(MethodImplOptions.AggressiveInlining)]

        public void Apply(ref Vector<T> theta, Vector<T> gradient, ref Vector<T> buffer, ref Vector<T> unused1, ref Vector<T> unused2)
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
