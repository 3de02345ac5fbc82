using System.Numerics;

namespace NeuralNet.Optimizers;

/// <summary>
/// Scratch memory for the update rules: two buffers per element type, grown to the largest parameter seen and
/// reused, so a steady-state step allocates nothing (also when float and double parameters alternate).
/// </summary>
internal sealed class Workspace
{
    private readonly Array?[] _buffers = new Array?[4];

    /// <summary>A scratch span of <paramref name="length"/> elements; its contents are unspecified.</summary>
    public Span<T> Scratch<T>(int length) => Buffer<T>(0, length);

    /// <summary>
    /// The gradient with the coupled L2 penalty, g + λθ (in this workspace's second buffer), or g itself when λ = 0.
    /// </summary>
    public ReadOnlySpan<T> WeightDecayed<T>(ReadOnlySpan<T> theta, ReadOnlySpan<T> gradient, double weightDecay)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (weightDecay == 0)
        {
            return gradient;
        }

        Span<T> decayed = Buffer<T>(1, theta.Length);
        TP.MultiplyAdd(theta, T.CreateChecked(weightDecay), gradient, decayed);
        return decayed;
    }

    private Span<T> Buffer<T>(int slot, int length)
    {
        slot = (2 * slot) + (typeof(T) == typeof(float) ? 0 : 1);
        if (_buffers[slot] is not T[] buffer || buffer.Length < length)
        {
            buffer = new T[length];
            _buffers[slot] = buffer;
        }

        return buffer.AsSpan(0, length);
    }
}
