using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralNet;

/// <summary>Drivers that run element-wise kernels over tensors' storage, with NumPy broadcasting.</summary>
internal static class Elementwise
{
    /// <summary>y = f(x) element-wise.</summary>
    public static Tensor Map<TKernel>(Tensor x, TKernel kernel)
        where TKernel : IUnaryKernel =>
        x.Data is float[] f ? Map(f, x.Shape, kernel) : Map((double[])x.Data, x.Shape, kernel);

    /// <summary>z = f(x, y) element-wise, with x and y broadcast to their common shape.</summary>
    public static Tensor Zip<TKernel>(Tensor x, Tensor y, TKernel kernel)
        where TKernel : IBinaryKernel
    {
        Shape shape = Shape.Broadcast(x.Shape, y.Shape);
        Tensor result = x.Data is float[] f
            ? Zip(f, x.Shape, (float[])y.Data, y.Shape, shape, kernel)
            : Zip((double[])x.Data, x.Shape, (double[])y.Data, y.Shape, shape, kernel);
        if (CaptureSession.AnyOpen)
        {
            CaptureSession.RecordDirect(x, y, kernel, result);
        }

        return result;
    }

    /// <summary><see cref="Map{TKernel}(Tensor, TKernel)"/> into <paramref name="output"/>, a result of it for an input of this shape.</summary>
    /// <returns>True (it always can).</returns>
    public static bool MapInto<TKernel>(Tensor x, TKernel kernel, Tensor output)
        where TKernel : IUnaryKernel
    {
        if (output.Data is float[] f)
        {
            Map((float[])x.Data, f, kernel);
        }
        else
        {
            Map((double[])x.Data, (double[])output.Data, kernel);
        }

        return true;
    }

    /// <summary><see cref="Zip{TKernel}(Tensor, Tensor, TKernel)"/> into <paramref name="output"/>, a result of it for inputs of these shapes, when neither
    /// input needs a broadcast plan (equal shapes, or one a single value); false otherwise.</summary>
    public static bool ZipInto<TKernel>(Tensor x, Tensor y, TKernel kernel, Tensor output)
        where TKernel : IBinaryKernel
    {
        if (output.Data is float[] f)
        {
            return ZipDirect((float[])x.Data, x.Shape, (float[])y.Data, y.Shape, output.Shape, kernel, f);
        }

        return ZipDirect((double[])x.Data, x.Shape, (double[])y.Data, y.Shape, output.Shape, kernel, (double[])output.Data);
    }

    private static Tensor Map<T, TKernel>(T[] x, Shape shape, TKernel kernel)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TKernel : IUnaryKernel
    {
        T[] result = Tensor.AllocateUninitialized<T>(x.Length);
        Map(x, result, kernel);
        return new Tensor(result, shape);
    }

    private static void Map<T, TKernel>(T[] x, T[] result, TKernel kernel)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TKernel : IUnaryKernel
    {
        // Some TensorPrimitives kernels (Sigmoid, SoftMax) refuse empty spans; an empty map has nothing to do.
        if (x.Length > 0)
        {
            kernel.Invoke<T>(x, result);
        }
    }

    /// <summary>The cases that need no broadcast plan: equal shapes, or one operand a single value. False for the rest.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool ZipDirect<T, TKernel>(T[] x, Shape xShape, T[] y, Shape yShape, Shape shape, TKernel kernel, T[] result)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TKernel : IBinaryKernel
    {
        if (result.Length == 0)
        {
            return true;
        }

        if (xShape == yShape)
        {
            kernel.Invoke<T>(x, y, result);
        }
        else if (y.Length == 1 && xShape == shape)
        {
            kernel.Invoke<T>(x, y[0], result);
        }
        else if (x.Length == 1 && yShape == shape)
        {
            kernel.Invoke<T>(x[0], y, result);
        }
        else
        {
            return false;
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Tensor Zip<T, TKernel>(T[] x, Shape xShape, T[] y, Shape yShape, Shape shape, TKernel kernel)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TKernel : IBinaryKernel
    {
        T[] result = Tensor.AllocateUninitialized<T>(shape.Size);
        if (!ZipDirect(x, xShape, y, yShape, shape, kernel, result))
        {
            var plan = new BroadcastPlan(xShape, yShape, shape);
            int n = plan.RowLength;
            for (int row = 0; row < plan.Rows; row++)
            {
                Span<T> destination = result.AsSpan(row * n, n);
                int xo = plan.XOffsets[row];
                int yo = plan.YOffsets[row];
                switch (plan.XInnerStride, plan.YInnerStride)
                {
                    case (1, 1):
                        kernel.Invoke(x.AsSpan(xo, n), y.AsSpan(yo, n), destination);
                        break;
                    case (1, 0):
                        kernel.Invoke(x.AsSpan(xo, n), y[yo], destination);
                        break;
                    case (0, 1):
                        kernel.Invoke(x[xo], y.AsSpan(yo, n), destination);
                        break;
                    default:
                        // Both repeat one value only when every axis has size 1, so the row is one element.
                        kernel.Invoke(x.AsSpan(xo, 1), y[yo], destination);
                        break;
                }
            }
        }

        return new Tensor(result, shape);
    }
}
