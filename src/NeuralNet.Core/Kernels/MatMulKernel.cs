using System.Numerics;

namespace NeuralNet;

/// <summary>Matrix products of tensors' storage through <see cref="Gemm"/>.</summary>
internal static class MatMulKernel
{
    /// <summary>
    /// op(A)·op(B) for each matrix of two stacks with the same batch axes; op transposes a matrix in place.
    /// </summary>
    public static Tensor Multiply(Tensor a, bool transposeA, Tensor b, bool transposeB)
    {
        int m = a.Shape[transposeA ? -1 : -2];
        int k = a.Shape[transposeA ? -2 : -1];
        int n = b.Shape[transposeB ? -2 : -1];
        int[] shape = a.Shape.ToArray();
        shape[^2] = m;
        shape[^1] = n;
        int batch = new Shape(shape[..^2]).Size;

        Array data = a.Data is float[] f
            ? Multiply(f, transposeA, (float[])b.Data, transposeB, batch, m, n, k)
            : Multiply((double[])a.Data, transposeA, (double[])b.Data, transposeB, batch, m, n, k);
        return new Tensor(data, shape);
    }

    private static T[] Multiply<T>(T[] a, bool transposeA, T[] b, bool transposeB, int batch, int m, int n, int k)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var c = new T[batch * m * n];
        for (int i = 0; i < batch; i++)
        {
            Gemm.Multiply<T>(
                a.AsSpan(i * m * k, m * k), transposeA, b.AsSpan(i * k * n, k * n), transposeB, c.AsSpan(i * m * n, m * n), m, n, k);
        }

        return c;
    }
}
