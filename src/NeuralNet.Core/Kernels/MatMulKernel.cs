using System.Numerics;

namespace NeuralNet;

/// <summary>
/// Row-major matrix product C = A·B. This first kernel runs the i-k-j loop order, so the inner loop is an
/// axpy over contiguous rows of B and C (TensorPrimitives.MultiplyAdd), and splits rows of C across cores for
/// large products.
/// </summary>
internal static class MatMulKernel
{
    private const long ParallelThreshold = 1L << 18;

    public static Tensor Multiply(Tensor a, Tensor b)
    {
        int m = a.Shape[0], k = a.Shape[1], n = b.Shape[1];
        Array data = a.Data is float[] f
            ? Multiply(f, (float[])b.Data, m, k, n)
            : Multiply((double[])a.Data, (double[])b.Data, m, k, n);
        return new Tensor(data, [m, n]);
    }

    private static T[] Multiply<T>(T[] a, T[] b, int m, int k, int n)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var c = new T[m * n];
        if ((long)m * k * n >= ParallelThreshold && m > 1)
        {
            Parallel.For(0, m, i => Row(a, b, c, i, k, n));
        }
        else
        {
            for (int i = 0; i < m; i++)
            {
                Row(a, b, c, i, k, n);
            }
        }

        return c;
    }

    private static void Row<T>(T[] a, T[] b, T[] c, int i, int k, int n)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Span<T> row = c.AsSpan(i * n, n);
        for (int p = 0; p < k; p++)
        {
            TP.MultiplyAdd(b.AsSpan(p * n, n), a[(i * k) + p], row, row);
        }
    }
}
