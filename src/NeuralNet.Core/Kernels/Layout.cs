using System.Numerics;

namespace NeuralNet;

/// <summary>Kernels that move elements without arithmetic: axis permutation and materialized broadcasting.</summary>
internal static class Layout
{
    /// <summary>The tensor with axes reordered: result axis i is input axis <paramref name="permutation"/>[i].</summary>
    public static Tensor Permute(Tensor x, int[] permutation)
    {
        int rank = x.Rank;
        var shape = new int[rank];
        var strides = new int[rank];
        int[] own = x.Shape.Strides();
        for (int i = 0; i < rank; i++)
        {
            shape[i] = x.Shape.Dimensions[permutation[i]];
            strides[i] = own[permutation[i]];
        }

        Array data = x.Data is float[] f ? Gather(f, shape, strides) : Gather((double[])x.Data, shape, strides);
        return new Tensor(data, shape);
    }

    /// <summary>Materializes <paramref name="x"/> broadcast to <paramref name="shape"/>.</summary>
    public static Tensor BroadcastTo(Tensor x, Shape shape)
    {
        var plan = new BroadcastPlan(x.Shape, shape, shape);
        Array data = x.Data is float[] f ? Expand(f, plan, shape.Size) : Expand((double[])x.Data, plan, shape.Size);
        return new Tensor(data, shape);
    }

    /// <summary>Reads a strided view into a new contiguous array, walking the view in row-major order.</summary>
    private static T[] Gather<T>(T[] x, int[] shape, int[] strides)
        where T : unmanaged
    {
        int size = 1;
        foreach (int d in shape)
        {
            size *= d;
        }

        var result = new T[size];
        if (size == 0)
        {
            return result;
        }

        int rank = shape.Length;
        if (rank == 0)
        {
            result[0] = x[0];
            return result;
        }

        int n = shape[rank - 1];
        int step = strides[rank - 1];
        var index = new int[rank - 1];
        int offset = 0;
        for (int start = 0; start < size; start += n)
        {
            for (int j = 0, source = offset; j < n; j++, source += step)
            {
                result[start + j] = x[source];
            }

            for (int axis = rank - 2; axis >= 0; axis--)
            {
                index[axis]++;
                offset += strides[axis];
                if (index[axis] < shape[axis])
                {
                    break;
                }

                offset -= strides[axis] * shape[axis];
                index[axis] = 0;
            }
        }

        return result;
    }

    private static T[] Expand<T>(T[] x, BroadcastPlan plan, int size)
        where T : unmanaged
    {
        var result = new T[size];
        int n = plan.RowLength;
        for (int row = 0; row < plan.Rows; row++)
        {
            Span<T> destination = result.AsSpan(row * n, n);
            if (plan.XInnerStride == 1)
            {
                x.AsSpan(plan.XOffsets[row], n).CopyTo(destination);
            }
            else
            {
                destination.Fill(x[plan.XOffsets[row]]);
            }
        }

        return result;
    }
}
