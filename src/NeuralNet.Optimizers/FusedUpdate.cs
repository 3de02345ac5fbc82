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
/// <remarks>
/// The loop is compiled fully optimised on first call (<see cref="MethodImplOptions.AggressiveOptimization"/>): an
/// optimizer steps once per batch, so tiered compilation would run the first few hundred steps of a training run in
/// unoptimised or on-stack-replaced code, at twice the time. A parameter of at least <see cref="ParallelThreshold"/>
/// elements is split into ranges run on <see cref="Parallelism.ThreadCount"/> threads; every element is updated by the
/// same arithmetic whichever thread runs it, so the result does not depend on the thread count.
/// </remarks>
internal static unsafe class FusedUpdate
{
    /// <summary>The state buffers a kernel can have.</summary>
    private const int StateCount = 3;

    /// <summary>The fewest elements worth splitting across threads: below it, waking a worker costs more than its share.</summary>
    private const int ParallelThreshold = 1 << 15;

    /// <summary>Applies <paramref name="kernel"/> to every element. A state span that the rule does not use is empty.</summary>
    public static void Run<T, TKernel>(
        Span<T> theta, ReadOnlySpan<T> gradient, Span<T> state0, Span<T> state1, Span<T> state2, in TKernel kernel)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : struct, IUpdateKernel<T>
    {
        int threads = Parallelism.ThreadCount;
        if (threads == 1 || theta.Length < ParallelThreshold)
        {
            RunRange(theta, gradient, state0, state1, state2, kernel);
            return;
        }

        fixed (T* t = theta, g = gradient, s0 = state0, s1 = state1, s2 = state2)
        {
            // two parts per thread, so that a thread that loses its core for a while leaves only half its share to others
            int parts = Math.Min(2 * threads, theta.Length / (ParallelThreshold / 2));
            ParallelUpdate<T, TKernel> body = ParallelUpdate<T, TKernel>.ForThisThread;
            body.Set(parts, theta.Length, t, g, s0, s1, s2, kernel);
            try
            {
                ForkJoin.For(parts, threads, body);
            }
            finally
            {
                // the buffers are unpinned on return: no pointer to them outlives the loop
                body.Set(0, 0, null, null, null, null, null, default);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunRange<T, TKernel>(
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
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
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

    /// <summary>
    /// One parallel update: part <c>p</c> of <c>parts</c> runs a range of whole vectors. The body is reused by every step of
    /// its thread (a step then allocates nothing); the buffers are pinned by <see cref="Run"/> for the loop's duration.
    /// </summary>
    private sealed class ParallelUpdate<T, TKernel> : ForkJoinBody
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : struct, IUpdateKernel<T>
    {
        [ThreadStatic]
        private static ParallelUpdate<T, TKernel>? t_body;

        private int _length, _parts;
        private T* _theta, _gradient, _state0, _state1, _state2;
        private TKernel _kernel;

        public static ParallelUpdate<T, TKernel> ForThisThread => t_body ??= new ParallelUpdate<T, TKernel>();

        public void Set(int parts, int length, T* theta, T* gradient, T* state0, T* state1, T* state2, in TKernel kernel)
        {
            (_parts, _length, _kernel) = (parts, length, kernel);
            _theta = theta;
            _gradient = gradient;
            _state0 = state0;
            _state1 = state1;
            _state2 = state2;
        }

        public override void Invoke(int part)
        {
            // ranges of whole vectors, so that only the last part has a partial one
            int vectors = (_length + Vector<T>.Count - 1) / Vector<T>.Count;
            int first = (int)((long)vectors * part / _parts) * Vector<T>.Count;
            int last = Math.Min((int)((long)vectors * (part + 1) / _parts) * Vector<T>.Count, _length);
            int count = last - first;
            RunRange(
                new Span<T>(_theta + first, count),
                new ReadOnlySpan<T>(_gradient + first, count),
                Slice(_state0, first, count),
                Slice(_state1, first, count),
                Slice(_state2, first, count),
                _kernel);
        }

        /// <summary>A range of a state buffer; an unused state (a null pointer) stays empty.</summary>
        private static Span<T> Slice(T* state, int first, int count) => state == null ? default : new Span<T>(state + first, count);
    }
}
