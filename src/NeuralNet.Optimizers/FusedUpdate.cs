using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuralNet.Optimizers;

/// <summary>
/// One update rule's arithmetic on one vector of elements: the parameter θ, its gradient g, and up to three state
/// buffers (moments, momentum, running maxima), all updated in registers.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
internal interface IUpdateKernel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Updates <paramref name="theta"/> and the state in place from <paramref name="gradient"/>.</summary>
    void Apply(ref Vector<T> theta, Vector<T> gradient, ref Vector<T> state0, ref Vector<T> state1, ref Vector<T> state2);
}

/// <summary>
/// Runs an update kernel over a whole parameter in one pass: each element of θ, g and the state is read once and
/// written once, where a chain of <see cref="TP"/> calls makes a pass over memory per arithmetic step (Adam was ten
/// passes over 235k parameters). No <see cref="TP"/> method fuses an optimizer's update, so this loop is hand-written.
/// </summary>
internal static class FusedUpdate
{
    /// <summary>The state buffers a kernel can have.</summary>
    private const int StateCount = 3;

    /// <summary>Applies <paramref name="kernel"/> to every element. A state span that the rule does not use is empty.</summary>
    public static void Run<T, TKernel>(
        Span<T> theta, ReadOnlySpan<T> gradient, Span<T> state0, Span<T> state1, Span<T> state2, in TKernel kernel)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : struct, IUpdateKernel<T>
    {
        int n = theta.Length;
        int width = Vector<T>.Count;
        bool has0 = !state0.IsEmpty, has1 = !state1.IsEmpty, has2 = !state2.IsEmpty;
        ref T t = ref MemoryMarshal.GetReference(theta);
        ref T g = ref MemoryMarshal.GetReference(gradient);
        ref T s0 = ref has0 ? ref MemoryMarshal.GetReference(state0) : ref t;
        ref T s1 = ref has1 ? ref MemoryMarshal.GetReference(state1) : ref t;
        ref T s2 = ref has2 ? ref MemoryMarshal.GetReference(state2) : ref t;
        int i = 0;
        for (; i <= n - width; i += width)
        {
            var offset = (nuint)i;
            Vector<T> vt = Vector.LoadUnsafe(ref t, offset);
            Vector<T> v0 = has0 ? Vector.LoadUnsafe(ref s0, offset) : default;
            Vector<T> v1 = has1 ? Vector.LoadUnsafe(ref s1, offset) : default;
            Vector<T> v2 = has2 ? Vector.LoadUnsafe(ref s2, offset) : default;
            kernel.Apply(ref vt, Vector.LoadUnsafe(ref g, offset), ref v0, ref v1, ref v2);
            vt.StoreUnsafe(ref t, offset);
            if (has0)
            {
                v0.StoreUnsafe(ref s0, offset);
            }

            if (has1)
            {
                v1.StoreUnsafe(ref s1, offset);
            }

            if (has2)
            {
                v2.StoreUnsafe(ref s2, offset);
            }
        }

        if (i < n)
        {
            Tail(theta[i..], gradient[i..], has0 ? state0[i..] : default, has1 ? state1[i..] : default, has2 ? state2[i..] : default, kernel);
        }
    }

    /// <summary>The last partial vector: copied into full vectors (zeros beyond the end), updated, copied back.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Tail<T, TKernel>(
        Span<T> theta, ReadOnlySpan<T> gradient, Span<T> state0, Span<T> state1, Span<T> state2, in TKernel kernel)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : struct, IUpdateKernel<T>
    {
        // laid out as θ, g, then each state, one vector each
        int width = Vector<T>.Count, n = theta.Length;
        Span<T> buffer = stackalloc T[(2 + StateCount) * width];
        buffer.Clear();
        Span<T> t = buffer[..width], g = buffer.Slice(width, width);
        Span<T> s0 = buffer.Slice(2 * width, width), s1 = buffer.Slice(3 * width, width), s2 = buffer.Slice(4 * width, width);
        theta.CopyTo(t);
        gradient.CopyTo(g);
        state0.CopyTo(s0);
        state1.CopyTo(s1);
        state2.CopyTo(s2);
        Vector<T> vt = new(t), v0 = new(s0), v1 = new(s1), v2 = new(s2);
        kernel.Apply(ref vt, new Vector<T>(g), ref v0, ref v1, ref v2);
        vt.CopyTo(t);
        v0.CopyTo(s0);
        v1.CopyTo(s1);
        v2.CopyTo(s2);
        t[..n].CopyTo(theta);
        s0[..state0.Length].CopyTo(state0);
        s1[..state1.Length].CopyTo(state1);
        s2[..state2.Length].CopyTo(state2);
    }
}
