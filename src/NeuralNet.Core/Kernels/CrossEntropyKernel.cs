using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralNet;

/// <summary>
/// Cross-entropy of rows of logits against integer labels, and its derivative, with log-softmax's shift (the row max; a
/// row with a +∞ is NaN, loss and gradient, as PyTorch's log-softmax makes it; see <see cref="SoftmaxKernel.Shift"/>): one exponential over the whole batch for short rows
/// (<see cref="BatchedRowLength"/>), a pass of TensorPrimitives calls per row for long ones.
/// </summary>
/// <remarks>In a row with a finite max, every exp(z − m) is clamped to 1 and the max's own term set to exactly exp(0) = 1:
/// a vectorised exp may round exp(0) to 1 + 1 ulp, and then a row dominated by its max (logits [1000, −1000, 0]) would
/// lose 1.2e-7 instead of 0 in Float32, and tied maxima would get uneven probabilities.</remarks>
internal static class CrossEntropyKernel
{
    /// <summary>ℓᵢ = logsumexp(zᵢ) − zᵢ,yᵢ for logits z [n, c]: shape [n].</summary>
    public static Tensor Loss(Tensor logits, int[] labels)
    {
        int n = logits.Shape[0];
        Array data = Tensor.AllocateUninitialized(logits.DType, n);
        LossInto(logits, labels, data);
        return new Tensor(data, new Shape(n));
    }

    /// <summary><see cref="Loss"/> into <paramref name="result"/>, an array of n elements.</summary>
    public static void LossInto(Tensor logits, int[] labels, Array result)
    {
        int n = logits.Shape[0], c = logits.Shape[1];
        if (result is float[] f)
        {
            Loss((float[])logits.Data, labels, n, c, f);
        }
        else
        {
            Loss((double[])logits.Data, labels, n, c, (double[])result);
        }
    }

    /// <summary>(softmax(zᵢ) − onehot(yᵢ)) · gᵢ for logits z [n, c] and a cotangent g [n]: shape [n, c].</summary>
    public static Tensor Gradient(Tensor logits, Tensor cotangent, int[] labels)
    {
        Array data = Tensor.AllocateUninitialized(logits.DType, logits.Size);
        GradientInto(logits, cotangent, labels, data);
        return new Tensor(data, logits.Shape);
    }

    /// <summary><see cref="Gradient"/> into <paramref name="result"/>, an array of n·c elements.</summary>
    public static void GradientInto(Tensor logits, Tensor cotangent, int[] labels, Array result)
    {
        int n = logits.Shape[0], c = logits.Shape[1];
        if (result is float[] f)
        {
            Gradient((float[])logits.Data, (float[])cotangent.Data, labels, n, c, f);
        }
        else
        {
            Gradient((double[])logits.Data, (double[])cotangent.Data, labels, n, c, (double[])result);
        }
    }

    /// <summary>
    /// Rows shorter than this are exponentiated together, by one <see cref="TP.Exp{T}(ReadOnlySpan{T}, Span{T})"/> over
    /// the batch: for a few classes a TensorPrimitives call per row costs more than its arithmetic, and TensorPrimitives
    /// has no row-wise max or sum. Longer rows take a pass of TensorPrimitives calls each (a vectorised sum, which is
    /// also the more accurate one for many terms, and scratch for one row rather than the batch).
    /// </summary>
    private const int BatchedRowLength = 64;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Loss<T>(T[] z, int[] labels, int n, int c, T[] result)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        // log Σ − (z_y − m), not m + log Σ − z_y: adding m first would round log Σ at m's magnitude.
        if (c < BatchedRowLength)
        {
            using var exp = new Scratch<T>(n * c);
            using var shift = new Scratch<T>(n);
            ShiftedExpOfRows(z, n, c, exp.Span, shift.Span);
            for (int i = 0; i < n; i++)
            {
                result[i] = T.Log(ShortRowSum(exp.Span.Slice(i * c, c))) - (z[(i * c) + labels[i]] - shift.Span[i]);
            }

            return;
        }

        using var rowExp = new Scratch<T>(c);
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<T> row = z.AsSpan(i * c, c);
            T m = ShiftedExpOfRow(row, rowExp.Span);
            result[i] = T.Log(TP.Sum<T>(rowExp.Span)) - (row[labels[i]] - m);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Gradient<T>(T[] z, T[] g, int[] labels, int n, int c, T[] result)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (c < BatchedRowLength)
        {
            using var shift = new Scratch<T>(n);
            ShiftedExpOfRows(z, n, c, result, shift.Span);
            for (int i = 0; i < n; i++)
            {
                Span<T> row = result.AsSpan(i * c, c);
                T scale = g[i] / ShortRowSum(row);
                for (int j = 0; j < row.Length; j++)
                {
                    row[j] *= scale;
                }

                row[labels[i]] -= g[i];
            }

            return;
        }

        for (int i = 0; i < n; i++)
        {
            Span<T> row = result.AsSpan(i * c, c);
            ShiftedExpOfRow(z.AsSpan(i * c, c), row);
            TP.Multiply(row, g[i] / TP.Sum<T>(row), row);
            row[labels[i]] -= g[i];
        }
    }

    /// <summary>Writes exp(zᵢⱼ − mᵢ) into <paramref name="exp"/> [n, c] and the shifts mᵢ into <paramref name="shifts"/>,
    /// with one exponential call for the whole batch (rows shorter than <see cref="BatchedRowLength"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ShiftedExpOfRows<T>(T[] z, int n, int c, Span<T> exp, Span<T> shifts)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        using var argMax = new Scratch<int>(n);
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<T> row = z.AsSpan(i * c, c);
            Span<T> shifted = exp.Slice(i * c, c);
            T m = T.NegativeInfinity;
            int best = 0;
            for (int j = 0; j < row.Length; j++)
            {
                // the first NaN, else the first largest (TP.Max's value; which of ±0 wins does not change the shift)
                if (!T.IsNaN(m) && (T.IsNaN(row[j]) || row[j] > m))
                {
                    (m, best) = (row[j], j);
                }
            }

            shifts[i] = SoftmaxKernel.Shift(m, SoftmaxKernel.Form.LogSoftmax);
            argMax.Span[i] = T.IsFinite(m) ? best : -1;
            for (int j = 0; j < row.Length; j++)
            {
                shifted[j] = row[j] - shifts[i];
            }
        }

        TP.Exp<T>(exp, exp);
        for (int i = 0; i < n; i++)
        {
            if (argMax.Span[i] >= 0)
            {
                ExactAtTheMax(exp.Slice(i * c, c), argMax.Span[i]);
            }
        }
    }

    /// <summary>Writes exp(zⱼ − m) of one row into <paramref name="exp"/> and returns the shift m.</summary>
    private static T ShiftedExpOfRow<T>(ReadOnlySpan<T> row, Span<T> exp)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int best = TP.IndexOfMax(row);
        T m = row[best];
        T shift = SoftmaxKernel.Shift(m, SoftmaxKernel.Form.LogSoftmax);
        TP.Subtract(row, shift, exp);
        TP.Exp<T>(exp, exp);
        if (T.IsFinite(m))
        {
            ExactAtTheMax(exp, best);
        }

        return shift;
    }

    /// <summary>
    /// For a row with a finite max (so no NaN and no +∞): every exp(z − m) is at most 1, and the max's is exactly 1. A
    /// vectorised exp may round exp(0) to 1 + 1 ulp, which would give tied maxima uneven probabilities.
    /// </summary>
    private static void ExactAtTheMax<T>(Span<T> exp, int best)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (exp.Length >= BatchedRowLength)
        {
            TP.Min(exp, T.One, exp);
        }
        else
        {
            // a short row: a loop costs less than a call
            for (int j = 0; j < exp.Length; j++)
            {
                exp[j] = T.Min(exp[j], T.One);
            }
        }

        exp[best] = T.One;
    }

    /// <summary>Σ of a row shorter than <see cref="BatchedRowLength"/>, in order: a call per row would cost more than
    /// the additions, and for so few terms the running sum's error stays within a few units in the last place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T ShortRowSum<T>(ReadOnlySpan<T> row)
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
