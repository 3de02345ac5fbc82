using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralNet;

/// <summary>
/// Kernels that move elements: axis permutation, materialized broadcasting, and the block copies of slicing,
/// padding, gathering, scattering and concatenation along one axis.
/// </summary>
/// <remarks>
/// The axis kernels view a tensor as [outer, n, inner] around the axis: every index along the axis selects
/// <c>outer</c> contiguous blocks of <c>inner</c> elements, so each is a loop of block copies.
/// </remarks>
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

    /// <summary>Materializes <paramref name="x"/> broadcast to <paramref name="shape"/> (<paramref name="x"/> itself when it already has that shape).</summary>
    public static Tensor BroadcastTo(Tensor x, Shape shape)
    {
        if (x.Shape == shape)
        {
            return x;
        }

        var plan = new BroadcastPlan(x.Shape, shape, shape);
        Array data = x.Data is float[] f ? Expand(f, plan, shape.Size) : Expand((double[])x.Data, plan, shape.Size);
        return new Tensor(data, shape);
    }

    /// <summary>
    /// The part of <paramref name="x"/> at positions start..start+length−1 of <paramref name="axis"/>
    /// (normalized and in range).
    /// </summary>
    public static Tensor Narrow(Tensor x, int axis, int start, int length)
    {
        var (outer, n, inner) = Split(x.Shape, axis);
        int[] shape = x.Shape.ToArray();
        shape[axis] = length;
        Array result = Tensor.Allocate(x.DType, outer * length * inner);
        CopyBlocks(x.Data, n * inner, start * inner, result, length * inner, 0, outer, length * inner);
        return new Tensor(result, shape);
    }

    /// <summary>
    /// Zeros of <paramref name="x"/>'s shape with <paramref name="axis"/> of size <paramref name="size"/>, with
    /// <paramref name="x"/> written at positions before..before+n−1 of that axis: the adjoint of <see cref="Narrow"/>.
    /// </summary>
    public static Tensor Pad(Tensor x, int axis, int before, int size)
    {
        var (outer, n, inner) = Split(x.Shape, axis);
        int[] shape = x.Shape.ToArray();
        shape[axis] = size;
        Array result = Tensor.Allocate(x.DType, outer * size * inner);
        CopyBlocks(x.Data, n * inner, 0, result, size * inner, before * inner, outer, n * inner);
        return new Tensor(result, shape);
    }

    /// <summary>The tensors joined along <paramref name="axis"/>; all have one dtype and agree on the other axes.</summary>
    public static Tensor Concatenate(Tensor[] xs, int axis)
    {
        int[] shape = xs[0].Shape.ToArray();
        int total = 0;
        foreach (Tensor x in xs)
        {
            total += x.Shape.Dimensions[axis];
        }

        shape[axis] = total;
        var (outer, _, inner) = Split(new Shape(shape), axis);
        Array result = Tensor.Allocate(xs[0].DType, outer * total * inner);
        int offset = 0;
        foreach (Tensor x in xs)
        {
            int n = x.Shape.Dimensions[axis];
            CopyBlocks(x.Data, n * inner, 0, result, total * inner, offset * inner, outer, n * inner);
            offset += n;
        }

        return new Tensor(result, shape);
    }

    /// <summary>
    /// The positions <paramref name="indices"/> (normalized and in range; repeats allowed) of <paramref name="axis"/>,
    /// in that order: result[..., k, ...] = x[..., indices[k], ...].
    /// </summary>
    public static Tensor Select(Tensor x, int axis, int[] indices)
    {
        var (outer, n, inner) = Split(x.Shape, axis);
        int[] shape = x.Shape.ToArray();
        shape[axis] = indices.Length;
        Array result = Tensor.Allocate(x.DType, outer * indices.Length * inner);
        for (int o = 0; o < outer; o++)
        {
            for (int k = 0; k < indices.Length; k++)
            {
                Array.Copy(x.Data, ((o * n) + indices[k]) * inner, result, ((o * indices.Length) + k) * inner, inner);
            }
        }

        return new Tensor(result, shape);
    }

    /// <summary>
    /// Zeros with <paramref name="axis"/> of size <paramref name="size"/>, into which slice k of <paramref name="x"/>
    /// along the axis is added at position <paramref name="indices"/>[k]; repeated indices accumulate. The adjoint
    /// of <see cref="Select"/>.
    /// </summary>
    public static Tensor ScatterAdd(Tensor x, int axis, int[] indices, int size)
    {
        var (outer, n, inner) = Split(x.Shape, axis);
        int[] shape = x.Shape.ToArray();
        shape[axis] = size;
        Array result = x.Data is float[] f
            ? ScatterAdd(f, indices, outer, n, inner, size)
            : ScatterAdd((double[])x.Data, indices, outer, n, inner, size);
        return new Tensor(result, shape);
    }

    /// <summary>The sizes before, at and after <paramref name="axis"/>: the [outer, n, inner] view.</summary>
    private static (int Outer, int N, int Inner) Split(Shape shape, int axis)
    {
        int outer = 1, inner = 1;
        for (int i = 0; i < axis; i++)
        {
            outer *= shape.Dimensions[i];
        }

        for (int i = axis + 1; i < shape.Rank; i++)
        {
            inner *= shape.Dimensions[i];
        }

        return (outer, shape.Dimensions[axis], inner);
    }

    /// <summary>
    /// Copies <paramref name="count"/> elements from each of <paramref name="rows"/> rows of the source to the same
    /// row of the destination; each side has its own row length and offset within a row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CopyBlocks(
        Array source, int sourceRow, int sourceOffset, Array destination, int destinationRow, int destinationOffset, int rows, int count)
    {
        if (count == 0)
        {
            return;
        }

        for (int r = 0; r < rows; r++)
        {
            Array.Copy(source, (r * sourceRow) + sourceOffset, destination, (r * destinationRow) + destinationOffset, count);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static T[] ScatterAdd<T>(T[] x, int[] indices, int outer, int n, int inner, int size)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T[] result = Tensor.Allocate<T>(outer * size * inner);
        for (int o = 0; o < outer; o++)
        {
            for (int k = 0; k < n; k++)
            {
                Span<T> destination = result.AsSpan(((o * size) + indices[k]) * inner, inner);
                TP.Add(destination, x.AsSpan(((o * n) + k) * inner, inner), destination);
            }
        }

        return result;
    }

    /// <summary>Reads a strided view into a new contiguous array, walking the view in row-major order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static T[] Gather<T>(T[] x, int[] shape, int[] strides)
        where T : unmanaged
    {
        int size = 1;
        foreach (int d in shape)
        {
            size *= d;
        }

        T[] result = Tensor.Allocate<T>(size);
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

    /// <summary><see cref="BroadcastTo"/> into <paramref name="output"/> by <paramref name="plan"/>, the broadcast of
    /// <paramref name="x"/>'s shape to the output's.</summary>
    public static void ExpandInto(Tensor x, BroadcastPlan plan, Tensor output)
    {
        if (output.Data is float[] f)
        {
            Expand((float[])x.Data, plan, f);
        }
        else
        {
            Expand((double[])x.Data, plan, (double[])output.Data);
        }
    }

    private static T[] Expand<T>(T[] x, BroadcastPlan plan, int size)
        where T : unmanaged
    {
        T[] result = Tensor.Allocate<T>(size);
        Expand(x, plan, result);
        return result;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Expand<T>(T[] x, BroadcastPlan plan, T[] result)
        where T : unmanaged
    {
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
    }
}
