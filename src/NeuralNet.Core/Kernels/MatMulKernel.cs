using System.Numerics;
using System.Runtime.CompilerServices;

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
        int batch = 1;
        for (int axis = 0; axis < shape.Length - 2; axis++)
        {
            batch *= shape[axis];
        }

        Array data = Tensor.AllocateUninitialized(a.DType, batch * m * n);
        Multiply(a, transposeA, b, transposeB, data, batch, m, n, k);
        return new Tensor(data, Shape.Own(shape));
    }

    /// <summary><see cref="Multiply(Tensor, bool, Tensor, bool)"/> into <paramref name="output"/>, a result of it for
    /// operands of these shapes.</summary>
    public static void MultiplyInto(Tensor a, bool transposeA, Tensor b, bool transposeB, Tensor output)
    {
        int m = a.Shape[transposeA ? -1 : -2];
        int k = a.Shape[transposeA ? -2 : -1];
        int n = b.Shape[transposeB ? -2 : -1];
        Multiply(a, transposeA, b, transposeB, output.Data, m * n == 0 ? 0 : output.Size / (m * n), m, n, k);
    }

    private static void Multiply(Tensor a, bool transposeA, Tensor b, bool transposeB, Array c, int batch, int m, int n, int k)
    {
        if (c is float[] f)
        {
            Multiply((float[])a.Data, transposeA, (float[])b.Data, transposeB, f, batch, m, n, k);
        }
        else
        {
            Multiply((double[])a.Data, transposeA, (double[])b.Data, transposeB, (double[])c, batch, m, n, k);
        }
    }

    private static void Multiply<T>(T[] a, bool transposeA, T[] b, bool transposeB, T[] c, int batch, int m, int n, int k)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int i = 0; i < batch; i++)
        {
            Gemm.Multiply<T>(
                a.AsSpan(i * m * k, m * k), transposeA, b.AsSpan(i * k * n, k * n), transposeB, c.AsSpan(i * m * n, m * n), m, n, k, overwrite: true);
        }
    }

    /// <summary>X·Wᵀ + b for X [n, in], W [out, in] and b [out] or none: the bias is written into each row of the
    /// result first, and the product accumulates onto it (the GEMM computes C += A·B), so the bias costs no pass. With
    /// <paramref name="rectify"/>, max(·, 0) of that, applied by the GEMM as it stores each tile (a fused ReLU).</summary>
    public static Tensor Affine(Tensor x, Tensor w, Tensor? bias, bool rectify = false)
    {
        int n = x.Shape[0], outputs = w.Shape[0];
        Array data = Tensor.AllocateUninitialized(x.DType, n * outputs);
        AffineInto(x, w, bias, rectify, data);
        return new Tensor(data, Shape.Matrix(n, outputs));
    }

    /// <summary><see cref="Affine"/> into <paramref name="output"/>, an array of n·out elements.</summary>
    public static void AffineInto(Tensor x, Tensor w, Tensor? bias, bool rectify, Array output)
    {
        int n = x.Shape[0], k = x.Shape[1], outputs = w.Shape[0];
        if (output is float[] f)
        {
            Affine((float[])x.Data, (float[])w.Data, (float[]?)bias?.Data, f, n, outputs, k, rectify);
        }
        else
        {
            Affine((double[])x.Data, (double[])w.Data, (double[]?)bias?.Data, (double[])output, n, outputs, k, rectify);
        }
    }

    // compiled fully optimised at once: a layer calls it once per step, too rarely for tiering to reach the first epoch
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Affine<T>(T[] x, T[] w, T[]? bias, T[] c, int n, int outputs, int k, bool rectify)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (bias is not null)
        {
            for (int row = 0; row < n; row++)
            {
                bias.CopyTo(c.AsSpan(row * outputs, outputs));
            }
        }

        Gemm.Multiply<T>(x, false, w, true, c, n, outputs, k, overwrite: bias is null, rectify);
    }
}
