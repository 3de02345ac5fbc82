namespace NeuralNet;

/// <summary>
/// Forward-mode automatic differentiation with dual tensors (primal + tangent), as PyTorch's
/// <c>torch.autograd.forward_ad</c>: every op on a dual tensor carries its tangent J·v along.
/// </summary>
/// <remarks>
/// <code>
/// using var dual = DualLevel.Enter();
/// Tensor y = f(dual.MakeDual(x, v));
/// var (value, jvp) = dual.Unpack(y);    // f(x) and J·v, in one pass
/// </code>
/// Each level has its own tag, so levels nest (forward-over-forward, forward-over-reverse) without confusing
/// their perturbations.
/// </remarks>
public sealed class DualLevel : IDisposable
{
    private readonly Level _level = new(tape: null);

    private DualLevel()
    {
    }

    /// <summary>Opens a new forward-mode level on this thread.</summary>
    public static DualLevel Enter() => new();

    /// <summary>A dual tensor with value <paramref name="primal"/> and tangent <paramref name="tangent"/> at this level.</summary>
    /// <exception cref="ArgumentException">The tangent's shape or dtype differs from the primal's.</exception>
    /// <exception cref="ObjectDisposedException">The level was disposed.</exception>
    public Tensor MakeDual(Tensor primal, Tensor tangent)
    {
        ThrowIfDisposed(nameof(MakeDual));
        if (primal.Shape != tangent.Shape || primal.DType != tangent.DType)
        {
            throw new ArgumentException(
                $"MakeDual: tangent {tangent.Shape} {tangent.DType} does not match primal {primal.Shape} {primal.DType}.", nameof(tangent));
        }

        return new Tensor(Dispatcher.Strip(Tape.Lift(primal, nameof(MakeDual))), _level, tangent);
    }

    /// <summary>One dual per input, for the transforms; <paramref name="op"/> names the caller in errors.</summary>
    internal Tensor[] MakeDuals(string op, Tensor[] primals, Tensor[] tangents)
    {
        if (primals.Length != tangents.Length)
        {
            throw new ArgumentException($"{op}: {primals.Length} inputs but {tangents.Length} tangents.", nameof(tangents));
        }

        var duals = new Tensor[primals.Length];
        for (int i = 0; i < primals.Length; i++)
        {
            duals[i] = MakeDual(primals[i], tangents[i]);
        }

        return duals;
    }

    /// <summary>The value and tangent of <paramref name="dual"/> at this level; the tangent is zero when it does not depend on a dual of this level.</summary>
    public (Tensor Primal, Tensor Tangent) Unpack(Tensor dual)
    {
        dual = Dispatcher.Strip(dual);
        return dual.Level == _level ? (dual.Primal!, dual.Tangent!) : (dual, Tensor.ZerosLike(dual));
    }

    /// <summary>Closes the level: its dual tensors act as their primal values afterwards.</summary>
    public void Dispose() => _level.IsActive = false;

    private void ThrowIfDisposed(string op)
    {
        if (!_level.IsActive)
        {
            throw new ObjectDisposedException(nameof(DualLevel), $"{op}: the dual level was disposed; enter a new one.");
        }
    }
}
