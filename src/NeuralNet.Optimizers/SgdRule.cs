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
    private readonly Workspace _workspace = new();

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

        // g ← g + λθ
        ReadOnlySpan<T> direction = _workspace.WeightDecayed(theta, gradient, WeightDecay);

        if (Momentum != 0)
        {
            T mu = T.CreateChecked(Momentum);
            if (_state.TryGetValue(parameter, out MomentumState? state))
            {
                // b ← μb + g
                Span<T> b = (T[])state.Buffer;
                TP.MultiplyAdd(b, mu, direction, b);
            }
            else
            {
                // b₁ = g
                state = new MomentumState(direction.ToArray());
                _state.Add(parameter, state);
            }

            ReadOnlySpan<T> buffer = (T[])state.Buffer;
            if (Nesterov)
            {
                // d = g + μb
                Span<T> scratch = _workspace.Scratch<T>(theta.Length);
                TP.MultiplyAdd(buffer, mu, direction, scratch);
                direction = scratch;
            }
            else
            {
                direction = buffer;
            }
        }

        // θ ← θ − ηd
        TP.MultiplyAdd(direction, T.CreateChecked(-learningRate), theta, theta);
    }
}
