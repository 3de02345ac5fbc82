using System.Numerics;

namespace NeuralNet;

/// <summary>
/// Cross-entropy of rows of logits against integer labels, and its derivative, each in one pass per row with the
/// softmax family's shift (the row max, or 0 where that max is ±∞, as <see cref="SoftmaxKernel"/>).
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

    private static T[] Loss<T>(T[] z, int[] labels, int n, int c)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T[] result = Tensor.AllocateUninitialized<T>(n);
        Span<T> exp = c <= 256 ? stackalloc T[c] : new T[c];
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<T> row = z.AsSpan(i * c, c);
            T m = Shift(row);
            TP.Subtract(row, m, exp);
            TP.Exp(exp, exp);
            // log Σ − (z_y − m), not m + log Σ − z_y: adding m first would round log Σ at m's magnitude.
            result[i] = T.Log(TP.Sum<T>(exp)) - (row[labels[i]] - m);
        }

        return result;
    }

    private static T[] Gradient<T>(T[] z, T[] g, int[] labels, int n, int c)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T[] result = Tensor.AllocateUninitialized<T>(n * c);
        for (int i = 0; i < n; i++)
        {
            Span<T> row = result.AsSpan(i * c, c);
            ReadOnlySpan<T> logits = z.AsSpan(i * c, c);
            TP.Subtract(logits, Shift(logits), row);
            TP.Exp(row, row);
            TP.Multiply(row, g[i] / TP.Sum<T>(row), row);
            row[labels[i]] -= g[i];
        }

        return result;
    }

    private static T Shift<T>(ReadOnlySpan<T> row)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T m = TP.Max(row);
        return T.IsFinite(m) ? m : T.Zero;
    }
}
