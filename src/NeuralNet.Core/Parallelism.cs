namespace NeuralNet;

/// <summary>
/// How many threads the library's parallel kernels use (PyTorch's <c>torch.set_num_threads</c>).
/// </summary>
/// <remarks>
/// Every parallel kernel (the matrix product, which splits each block of a large product into ranges of C, and the
/// optimizers' update of a large parameter, split into ranges of elements) reads <see cref="ThreadCount"/> when it starts, so a change applies from the next op on. The default is
/// <see cref="Environment.ProcessorCount"/>; 1 runs everything on the calling thread. The setting is process-wide,
/// as PyTorch's is. A kernel runs on the calling thread and on up to <see cref="ThreadCount"/> − 1 background worker
/// threads of the library's own, started on first need; after a kernel they poll for the next one for a fraction
/// of a millisecond, then block, so an idle process uses no core. A kernel started while another thread's kernel
/// holds the workers runs on its own thread alone.
/// </remarks>
public static class Parallelism
{
    private static int s_threadCount = Environment.ProcessorCount;

    /// <summary>The most threads one kernel uses; at least 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public static int ThreadCount
    {
        get => Volatile.Read(ref s_threadCount);
        set
        {
            if (value < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(ThreadCount), value, $"Parallelism.ThreadCount: {value} threads; it must be at least 1.");
            }

            Volatile.Write(ref s_threadCount, value);
        }
    }
}
