using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuralNet.Optimizers;

/// <summary>
/// One update rule's arithmetic on one vector of elements: the parameter θ, its gradient g, and up to two state
/// buffers (moments, momentum), all updated in registers.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
internal interface IUpdateKernel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Updates <paramref name="theta"/> and the state in place from <paramref name="gradient"/>.</summary>
    void Apply(ref Vector<T> theta, Vector<T> gradient, ref Vector<T> state0, ref Vector<T> state1);
}

/// <summary>
/// Runs an update kernel over a whole parameter in one pass: each element of θ, g and the state is read once and
/// written once, where a chain of <see cref="TP"/> calls makes a pass over memory per arithmetic step (Adam was ten
/// passes over 235k parameters). No <see cref="TP"/> method fuses an optimizer's update, so this loop is hand-written.
/// </summary>
internal static class FusedUpdate
{
    /// <summary>Applies <paramref name="kernel"/> to every element. A state span that the rule does not use is empty.</summary>
    public static void Run<T, TKernel>(Span<T> theta, ReadOnlySpan<T> gradient, Span<T> state0, Span<T> state1, in TKernel kernel)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : struct, IUpdateKernel<T>
    {
        int n = theta.Length;
        int width = Vector<T>.Count;
        bool has0 = !state0.IsEmpty, has1 = !state1.IsEmpty;
        ref T t = ref MemoryMarshal.GetReference(theta);
        ref T g = ref MemoryMarshal.GetReference(gradient);
        ref T s0 = ref has0 ? ref MemoryMarshal.GetReference(state0) : ref t;
        ref T s1 = ref has1 ? ref MemoryMarshal.GetReference(state1) : ref t;
        int i = 0;
        for (; i <= n - width; i += width)
        {
            var offset = (nuint)i;
            Vector<T> vt = Vector.LoadUnsafe(ref t, offset);
            Vector<T> v0 = has0 ? Vector.LoadUnsafe(ref s0, offset) : default;
            Vector<T> v1 = has1 ? Vector.LoadUnsafe(ref s1, offset) : default;
            kernel.Apply(ref vt, Vector.LoadUnsafe(ref g, offset), ref v0, ref v1);
            vt.StoreUnsafe(ref t, offset);
            if (has0)
            {
                v0.StoreUnsafe(ref s0, offset);
            }

            if (has1)
            {
                v1.StoreUnsafe(ref s1, offset);
            }
        }

        if (i < n)
        {
            Tail(theta[i..], gradient[i..], has0 ? state0[i..] : default, has1 ? state1[i..] : default, kernel);
        }
    }

    /// <summary>The last partial vector: copied into full vectors (zeros beyond the end), updated, copied back.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Tail<T, TKernel>(Span<T> theta, ReadOnlySpan<T> gradient, Span<T> state0, Span<T> state1, in TKernel kernel)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : struct, IUpdateKernel<T>
    {
        Span<T> buffer = stackalloc T[4 * Vector<T>.Count];
        buffer.Clear();
        int width = Vector<T>.Count, n = theta.Length;
        theta.CopyTo(buffer);
        gradient.CopyTo(buffer[width..]);
        state0.CopyTo(buffer[(2 * width)..]);
        state1.CopyTo(buffer[(3 * width)..]);
        Vector<T> vt = new(buffer), v0 = new(buffer[(2 * width)..]), v1 = new(buffer[(3 * width)..]);
        kernel.Apply(ref vt, new Vector<T>(buffer[width..]), ref v0, ref v1);
        vt.CopyTo(buffer);
        v0.CopyTo(buffer[(2 * width)..]);
        v1.CopyTo(buffer[(3 * width)..]);
        buffer[..n].CopyTo(theta);
        buffer.Slice(2 * width, state0.Length).CopyTo(state0);
        buffer.Slice(3 * width, state1.Length).CopyTo(state1);
    }
}
