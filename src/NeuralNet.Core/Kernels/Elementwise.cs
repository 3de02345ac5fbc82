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
        return x.Data is float[] f
            ? Zip(f, x.Shape, (float[])y.Data, y.Shape, shape, kernel)
            : Zip((double[])x.Data, x.Shape, (double[])y.Data, y.Shape, shape, kernel);
    }

    private static Tensor Map<T, TKernel>(T[] x, Shape shape, TKernel kernel)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TKernel : IUnaryKernel
    {
        T[] result = Tensor.AllocateUninitialized<T>(x.Length);

        // Some TensorPrimitives kernels (Sigmoid, SoftMax) refuse empty spans; an empty map has nothing to do.
        if (x.Length > 0)
        {
            kernel.Invoke<T>(x, result);
        }

        return new Tensor(result, shape);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Tensor Zip<T, TKernel>(T[] x, Shape xShape, T[] y, Shape yShape, Shape shape, TKernel kernel)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TKernel : IBinaryKernel
    {
        T[] result = Tensor.AllocateUninitialized<T>(shape.Size);
        if (result.Length == 0)
        {
            return new Tensor(result, shape);
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
