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
        int[] dims = x.Shape.ToArray();
        int[] kept = (int[])dims.Clone();
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
            ? Reduce(f, dims, axes, kernel)
            : Reduce((double[])x.Data, dims, axes, kernel);
        return new Tensor(data, keptShape);
    }

    /// <summary>
    /// <see cref="Reduce{TKernel}(Tensor, int[], TKernel)"/> into <paramref name="output"/>, a result of it for an input of this shape, when the reduced
    /// axes are adjacent (a bias gradient's leading axis, a whole tensor), so that one pass over an (outer, n, inner) view
    /// does it; false otherwise.
    /// </summary>
    public static bool ReduceInto<TKernel>(Tensor x, int[] axes, TKernel kernel, Tensor output)
        where TKernel : IReduceKernel
    {
        if (axes.Length == 0 || axes[^1] - axes[0] != axes.Length - 1 || output.Size == 0)
        {
            return false;
        }

        int outer = 1, n = 1, inner = 1;
        for (int axis = 0; axis < x.Rank; axis++)
        {
            int size = x.Shape[axis];
            if (axis < axes[0])
            {
                outer *= size;
            }
            else if (axis <= axes[^1])
            {
                n *= size;
            }
            else
            {
                inner *= size;
            }
        }

        if (output.Data is float[] f)
        {
            ReduceMiddle((float[])x.Data, outer, n, inner, kernel, f);
        }
        else
        {
            ReduceMiddle((double[])x.Data, outer, n, inner, kernel, (double[])output.Data);
        }

        return true;
    }

    private static T[] Reduce<T, TKernel>(T[] x, int[] dims, int[] axes, TKernel kernel)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TKernel : IReduceKernel
    {
        // Group adjacent axes by whether they are reduced.
        var groups = new List<(int Size, bool Reduced)>();
        for (int i = 0; i < dims.Length; i++)
        {
            bool reduced = Array.IndexOf(axes, i) >= 0;
            if (groups.Count > 0 && groups[^1].Reduced == reduced)
            {
                groups[^1] = (groups[^1].Size * dims[i], reduced);
            }
            else
            {
                groups.Add((dims[i], reduced));
            }
        }

        T[] current = x;
        for (int g = groups.Count - 1; g >= 0; g--)
        {
            if (!groups[g].Reduced)
            {
                continue;
            }

            int outer = 1, inner = 1;
            for (int k = 0; k < g; k++)
            {
                outer *= groups[k].Size;
            }

            for (int k = g + 1; k < groups.Count; k++)
            {
                inner *= groups[k].Size;
            }

            current = ReduceMiddle(current, outer, groups[g].Size, inner, kernel);
            groups[g] = (1, true);
        }

        return current == x ? (T[])x.Clone() : current;
    }

    /// <summary>Reduces the middle axis of an (outer, n, inner) row-major block.</summary>
    private static T[] ReduceMiddle<T, TKernel>(T[] x, int outer, int n, int inner, TKernel kernel)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TKernel : IReduceKernel
    {
        T[] result = Tensor.Allocate<T>(outer * inner);
        ReduceMiddle(x, outer, n, inner, kernel, result);
        return result;
    }

    /// <summary>Reduces the middle axis of an (outer, n, inner) row-major block into <paramref name="result"/> [outer·inner].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReduceMiddle<T, TKernel>(T[] x, int outer, int n, int inner, TKernel kernel, T[] result)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TKernel : IReduceKernel
    {
        if (n == 0)
        {
            result.AsSpan().Fill(kernel.Identity<T>());
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
