using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralNet;

/// <summary>
/// Cross-entropy of rows of logits against integer labels, and its derivative, each with one exponential over the whole
/// batch and the softmax family's shift (the row max, or 0 where that max is ±∞, as <see cref="SoftmaxKernel"/>).
/// </summary>
internal static class CrossEntropyKernel
{
    /// <summary>ℓᵢ = logsumexp(zᵢ) − zᵢ,yᵢ for logits z [n, c]: shape [n].</summary>
    public static Tensor Loss(Tensor logits, int[] labels)
    {
        int n = logits.Shape[0], c = logits.Shape[1];
        Array data = logits.Data is float[] f ? Loss(f, labels, n, c) : Loss((double[])logits.Data, labels, n, c);
        return new Tensor(data, new Shape(n));
    }

    /// <summary>(softmax(zᵢ) − onehot(yᵢ)) · gᵢ for logits z [n, c] and a cotangent g [n]: shape [n, c].</summary>
    public static Tensor Gradient(Tensor logits, Tensor cotangent, int[] labels)
    {
        int n = logits.Shape[0], c = logits.Shape[1];
        Array data = logits.Data is float[] f
            ? Gradient(f, (float[])cotangent.Data, labels, n, c)
            : Gradient((double[])logits.Data, (double[])cotangent.Data, labels, n, c);
        return new Tensor(data, logits.Shape);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static T[] Loss<T>(T[] z, int[] labels, int n, int c)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T[] result = Tensor.AllocateUninitialized<T>(n);
        using var exp = new Scratch<T>(n * c);
        using var shift = new Scratch<T>(n);
        Span<T> shifts = shift.Span;
        ShiftedExp(z, n, c, exp.Span, shifts);
        for (int i = 0; i < n; i++)
        {
            // log Σ − (z_y − m), not m + log Σ − z_y: adding m first would round log Σ at m's magnitude.
            result[i] = T.Log(RowSum(exp.Span.Slice(i * c, c))) - (z[(i * c) + labels[i]] - shifts[i]);
        }

        return result;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static T[] Gradient<T>(T[] z, T[] g, int[] labels, int n, int c)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T[] result = Tensor.AllocateUninitialized<T>(n * c);
        using var shift = new Scratch<T>(n);
        ShiftedExp(z, n, c, result, shift.Span);
        for (int i = 0; i < n; i++)
        {
            Span<T> row = result.AsSpan(i * c, c);
            T scale = g[i] / RowSum(row);
            for (int j = 0; j < row.Length; j++)
            {
                row[j] *= scale;
            }

            row[labels[i]] -= g[i];
        }

        return result;
    }

    /// <summary>Writes exp(zᵢⱼ − mᵢ) into <paramref name="exp"/> [n, c] and the shifts mᵢ into <paramref name="shifts"/>.</summary>
    /// <remarks>
    /// The shift of a row is its max, or 0 where that max is ±∞. One <see cref="TP.Exp{T}(ReadOnlySpan{T}, Span{T})"/>
    /// call covers the whole batch: a call per row of ten classes costs more in call overhead than in arithmetic, and
    /// TensorPrimitives has no row-wise max or subtract, so those two small loops are written here.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ShiftedExp<T>(T[] z, int n, int c, Span<T> exp, Span<T> shifts)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<T> row = z.AsSpan(i * c, c);
            Span<T> shifted = exp.Slice(i * c, c);
            T m = T.NegativeInfinity;
            foreach (T value in row)
            {
                // NaN propagates, as TP.Max does
                m = T.IsNaN(value) || value > m ? value : m;
            }

            m = T.IsFinite(m) ? m : T.Zero;
            shifts[i] = m;
            for (int j = 0; j < row.Length; j++)
            {
                shifted[j] = row[j] - m;
            }
        }

        TP.Exp<T>(exp, exp);

        // exp(0) is 1, but a vectorised exp may round it to 1 + 1 ulp, and then a row dominated by its max
        // (logits [1000, −1000, 0]) has a loss of 1.2e-7 instead of 0 in Float32: the max's own term is set exactly.
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < c; j++)
            {
                if (z[(i * c) + j] == shifts[i])
                {
                    exp[(i * c) + j] = T.One;
                }
            }
        }
    }

    /// <summary>Σ of one row, in order (rows are a few classes long, too short for a call per row to pay).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T RowSum<T>(ReadOnlySpan<T> row)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T sum = T.Zero;
        foreach (T value in row)
        {
            sum += value;
        }

        return sum;
    }
}
