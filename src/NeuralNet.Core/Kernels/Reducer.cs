using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralNet;

/// <summary>Reduces a tensor over a set of axes with a <see cref="IReduceKernel"/>.</summary>
internal static class Reducer
{
    /// <summary>
    /// Reduces <paramref name="x"/> over <paramref name="axes"/> (normalized, sorted, distinct), keeping each
    /// reduced axis as size 1. Runs of adjacent reduced (or kept) axes are merged first, so each pass reduces a
    /// contiguous block: the middle axis of an (outer, n, inner) view.
    /// </summary>
    public static Tensor Reduce<TKernel>(Tensor x, int[] axes, TKernel kernel)
        where TKernel : IReduceKernel
    {
        int[] kept = x.Shape.ToArray();
        foreach (int axis in axes)
        {
            kept[axis] = 1;
        }

        Shape keptShape = Shape.Own(kept);
        if (keptShape.Size == 0)
        {
            // An empty result: the group products of an empty input may exceed an int ([100000, 100000, 0]).
            return Tensor.Zeros(keptShape, x.DType);
        }

        Array data = x.Data is float[] f
            ? Reduce(f, x.Shape, axes, kernel, into: null)
            : Reduce((double[])x.Data, x.Shape, axes, kernel, into: null);
        return new Tensor(data, keptShape);
    }

    /// <summary>
    /// <see cref="Reduce{TKernel}(Tensor, int[], TKernel)"/> into <paramref name="output"/>, a result of it for an input of
    /// this shape: the same passes, the last one writing into <paramref name="output"/>; false for an empty result.
    /// </summary>
    public static bool ReduceInto<TKernel>(Tensor x, int[] axes, TKernel kernel, Tensor output)
        where TKernel : IReduceKernel
    {
        if (output.Size == 0)
        {
            return false;
        }

        if (output.Data is float[] into)
        {
            Reduce((float[])x.Data, x.Shape, axes, kernel, into);
        }
        else
        {
            Reduce((double[])x.Data, x.Shape, axes, kernel, (double[])output.Data);
        }

        return true;
    }

    /// <summary>
    /// The reduction of <paramref name="x"/> of <paramref name="shape"/>, one pass per run of adjacent reduced axes, last
    /// first, into <paramref name="into"/> or a new result; the passes between go through pooled scratch, so that a
    /// reduction over axes apart (a convolution's bias gradient, over images and windows) leaves no garbage.
    /// </summary>
    private static T[] Reduce<T, TKernel>(T[] x, Shape shape, int[] axes, TKernel kernel, T[]? into)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TKernel : IReduceKernel
    {
        // Group adjacent axes by whether they are reduced (on the stack: a replay allocates nothing).
        Span<int> sizes = stackalloc int[shape.Rank];
        Span<bool> reduced = stackalloc bool[shape.Rank];
        int groups = 0, passes = 0;
        for (int i = 0; i < shape.Rank; i++)
        {
            bool isReduced = Array.IndexOf(axes, i) >= 0;
            if (groups > 0 && reduced[groups - 1] == isReduced)
            {
                sizes[groups - 1] *= shape[i];
            }
            else
            {
                sizes[groups] = shape[i];
                reduced[groups++] = isReduced;
                passes += isReduced ? 1 : 0;
            }
        }

        if (passes == 0)
        {
            if (into is null)
            {
                return (T[])x.Clone();
            }

            x.AsSpan().CopyTo(into);
            return into;
        }

        T[] current = x;
        T[]? scratch = null;
        for (int g = groups - 1; g >= 0; g--)
        {
            if (!reduced[g])
            {
                continue;
            }

            int outer = 1, inner = 1;
            for (int k = 0; k < g; k++)
            {
                outer *= sizes[k];
            }

            for (int k = g + 1; k < groups; k++)
            {
                inner *= sizes[k];
            }

            bool last = --passes == 0;
            T[] next = last ? into ?? Tensor.Allocate<T>(outer * inner) : ArrayPool<T>.Shared.Rent(outer * inner);
            ReduceMiddle(current, outer, sizes[g], inner, kernel, next);
            if (scratch is not null)
            {
                ArrayPool<T>.Shared.Return(scratch);
            }

            scratch = last ? null : next;
            current = next;
            sizes[g] = 1;
        }

        return current;
    }

    /// <summary>Reduces the middle axis of an (outer, n, inner) row-major block into <paramref name="result"/> [outer·inner].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReduceMiddle<T, TKernel>(T[] x, int outer, int n, int inner, TKernel kernel, T[] result)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TKernel : IReduceKernel
    {
        if (n == 0)
        {
            result.AsSpan(0, outer * inner).Fill(kernel.Identity<T>());
            return;
        }

        for (int o = 0; o < outer; o++)
        {
            ReadOnlySpan<T> block = x.AsSpan(o * n * inner, n * inner);
            if (inner == 1)
            {
                result[o] = kernel.Reduce(block);
                continue;
            }

            Span<T> accumulator = result.AsSpan(o * inner, inner);
            block[..inner].CopyTo(accumulator);
            for (int k = 1; k < n; k++)
            {
                kernel.Fold(block.Slice(k * inner, inner), accumulator);
            }
        }
    }
}
