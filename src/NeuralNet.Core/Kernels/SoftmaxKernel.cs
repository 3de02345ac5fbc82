using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralNet;

/// <summary>The softmax family's fused forward kernels over one axis, each stable: they subtract the axis max first.</summary>
internal static class SoftmaxKernel
{
    /// <summary>Which function of the axis to compute.</summary>
    public enum Form
    {
        /// <summary>exp(xᵢ − m) / Σⱼ exp(xⱼ − m).</summary>
        Softmax,

        /// <summary>xᵢ − m − log Σⱼ exp(xⱼ − m).</summary>
        LogSoftmax,

        /// <summary>m + log Σⱼ exp(xⱼ − m), with the axis kept as size 1.</summary>
        LogSumExp,
    }

    /// <summary>
    /// Computes <paramref name="form"/> over <paramref name="axis"/> (normalized) of <paramref name="x"/>. The shift m
    /// is the axis max, or 0 where that max is ±∞ (as PyTorch's logsumexp does), so a row of −∞ gives a log-sum-exp of
    /// −∞ and a +∞ gives +∞ rather than NaN from ∞ − ∞; softmax and log-softmax of a row with a +∞ are NaN throughout,
    /// as PyTorch's and JAX's are (∞/∞). An empty axis has a log-sum-exp of −∞.
    /// </summary>
    public static Tensor Apply(Tensor x, int axis, Form form)
    {
        int[] dims = x.Shape.ToArray();
        int n = dims[axis];
        int[] resultDims = (int[])dims.Clone();
        if (form == Form.LogSumExp)
        {
            resultDims[axis] = 1;
        }

        // Sizing the result first names an over-long one; an empty one needs no work, and the axis products of an
        // empty input may exceed an int ([100000, 100000, 0]).
        if (new Shape(resultDims).Size == 0)
        {
            return Tensor.Zeros(resultDims, x.DType);
        }

        int outer = 1, inner = 1;
        for (int i = 0; i < axis; i++)
        {
            outer *= dims[i];
        }

        for (int i = axis + 1; i < dims.Length; i++)
        {
            inner *= dims[i];
        }

        Array data = x.Data is float[] f
            ? Run(f, outer, n, inner, form)
            : Run((double[])x.Data, outer, n, inner, form);
        return new Tensor(data, resultDims);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static T[] Run<T>(T[] x, int outer, int n, int inner, Form form)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T[] result = Tensor.Allocate<T>(form == Form.LogSumExp ? outer * inner : x.Length);
        if (n == 0)
        {
            result.AsSpan().Fill(T.NegativeInfinity);
            return result;
        }

        // TP.SoftMax does not subtract the max (exp overflows at x ≈ 89 in float32), so the kernel is composed.
        // Softmax exponentiates in place; the other forms keep the shifted values and need room for their exps.
        T[] scratch = form == Form.Softmax ? [] : new T[n * inner];
        var max = new T[inner];
        var sum = new T[inner];
        for (int o = 0; o < outer; o++)
        {
            ReadOnlySpan<T> block = x.AsSpan(o * n * inner, n * inner);
            Span<T> shifted = form == Form.LogSumExp ? scratch : result.AsSpan(o * n * inner, n * inner);
            if (inner == 1)
            {
                T m = Shift(TP.Max(block), form);
                TP.Subtract(block, m, shifted);
                switch (form)
                {
                    case Form.Softmax:
                        TP.Exp(shifted, shifted);
                        TP.Divide(shifted, TP.Sum<T>(shifted), shifted);
                        break;
                    case Form.LogSoftmax:
                        TP.Exp(shifted, scratch);
                        TP.Subtract(shifted, T.Log(TP.Sum<T>(scratch)), shifted);
                        break;
                    default:
                        TP.Exp(shifted, shifted);
                        result[o] = m + T.Log(TP.Sum<T>(shifted));
                        break;
                }

                continue;
            }

            // Several rows side by side: fold the n rows of length inner, vectorized across the row.
            block[..inner].CopyTo(max);
            for (int k = 1; k < n; k++)
            {
                TP.Max(max, block.Slice(k * inner, inner), max);
            }

            for (int j = 0; j < inner; j++)
            {
                max[j] = Shift(max[j], form);
            }

            for (int k = 0; k < n; k++)
            {
                TP.Subtract(block.Slice(k * inner, inner), max, shifted.Slice(k * inner, inner));
            }

            Span<T> exp = form == Form.LogSoftmax ? scratch : shifted;
            TP.Exp(shifted, exp);
            exp[..inner].CopyTo(sum);
            for (int k = 1; k < n; k++)
            {
                TP.Add(sum, exp.Slice(k * inner, inner), sum);
            }

            switch (form)
            {
                case Form.Softmax:
                    for (int k = 0; k < n; k++)
                    {
                        Span<T> row = shifted.Slice(k * inner, inner);
                        TP.Divide(row, sum, row);
                    }

                    break;
                case Form.LogSoftmax:
                    TP.Log(sum, sum);
                    for (int k = 0; k < n; k++)
                    {
                        Span<T> row = shifted.Slice(k * inner, inner);
                        TP.Subtract(row, sum, row);
                    }

                    break;
                default:
                    Span<T> destination = result.AsSpan(o * inner, inner);
                    TP.Log(sum, destination);
                    TP.Add(destination, max, destination);
                    break;
            }
        }

        return result;
    }

    /// <summary>The shift of a row whose max is <paramref name="max"/>: the max itself when finite; for a +∞, NaN in softmax
    /// and log-softmax (so that the whole row is NaN, as in PyTorch) and 0 in log-sum-exp (whose value is then +∞); 0 for
    /// a −∞ (a row of −∞). A NaN max makes the row NaN whatever the shift.</summary>
    public static T Shift<T>(T max, Form form)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        T.IsFinite(max) ? max : form != Form.LogSumExp && T.IsPositiveInfinity(max) ? T.NaN : T.Zero;
}
