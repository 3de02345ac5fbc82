namespace NeuralNet;

/// <summary>
/// Arrays of exact lengths kept for reuse between training steps: a step allocates the same shapes every time, so
/// the buffers one step's tape gives back are the ones the next step asks for, and a steady-state step takes its
/// large buffers from here instead of the garbage collector (arrays of 85 KB and more would land on the large-object
/// heap and force gen-2 collections).
/// </summary>
/// <remarks>
/// Exact lengths, not <see cref="System.Buffers.ArrayPool{T}"/>'s power-of-two buckets, because a tensor's array is
/// exactly its size everywhere in the library. What the pool holds is bounded (<see cref="MaxRetainedBytes"/>); a
/// buffer returned beyond that is left to the collector. Thread-safe.
/// </remarks>
internal static class BufferPool
{
    /// <summary>Buffers smaller than this come from the collector: small arrays are cheap in gen 0.</summary>
    public const int MinBytes = 1024;

    /// <summary>The most bytes the pool keeps; a return beyond this is dropped.</summary>
    public const long MaxRetainedBytes = 256L << 20;

    private static readonly Lock s_gate = new();
    private static readonly Dictionary<(Type, int), Stack<Array>> s_free = [];
    private static long s_retainedBytes;

    /// <summary>Whether a buffer of <paramref name="length"/> elements of <typeparamref name="T"/> is worth pooling.</summary>
    public static bool Pools<T>(int length)
        where T : unmanaged => Bytes<T>(length) >= MinBytes;

    /// <summary>A new array from the collector: zeroed, or with unspecified contents (<paramref name="zeroed"/> false,
    /// which small arrays get zeroed anyway).</summary>
    public static T[] Fresh<T>(int length, bool zeroed)
        where T : unmanaged => zeroed ? new T[length] : GC.AllocateUninitializedArray<T>(length);

    /// <summary>An array of exactly <paramref name="length"/> elements, reused when one is free: zeroed, or with
    /// unspecified contents for a kernel that writes every element (<paramref name="zeroed"/> false).</summary>
    public static T[] Rent<T>(int length, bool zeroed)
        where T : unmanaged
    {
        lock (s_gate)
        {
            if (s_free.TryGetValue((typeof(T), length), out Stack<Array>? free) && free.TryPop(out Array? buffer))
            {
                s_retainedBytes -= Bytes<T>(length);
                var reused = (T[])buffer;
                if (zeroed)
                {
                    Array.Clear(reused);
                }

                return reused;
            }
        }

        return Fresh<T>(length, zeroed);
    }

    /// <summary>Takes <paramref name="buffer"/> back for reuse; nothing may read or write it afterwards.</summary>
    public static void Return(Array buffer)
    {
        long bytes = Buffer.ByteLength(buffer);
        lock (s_gate)
        {
            if (s_retainedBytes + bytes > MaxRetainedBytes)
            {
                return;
            }

            var key = (buffer.GetType().GetElementType()!, buffer.Length);
            if (!s_free.TryGetValue(key, out Stack<Array>? free))
            {
                free = new Stack<Array>();
                s_free.Add(key, free);
            }

            free.Push(buffer);
            s_retainedBytes += bytes;
        }
    }

    private static long Bytes<T>(int length)
        where T : unmanaged => (long)length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
}
