using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralNet;

/// <summary>
/// Max pooling over planes [N, C, H, W], and the gather and scatter-add at its arg-max positions that carry its
/// derivatives. An arg-max is a flat index into the input, or −1 for a window that holds padding only.
/// </summary>
internal static class PoolKernel
{
    /// <summary>
    /// The maximum of every window of <paramref name="x"/> (padding is −∞), writing each window's arg-max into
    /// <paramref name="argMax"/>: the first maximum in row-major window order, or the last NaN when the window holds one
    /// (PyTorch's CPU <c>max_pool2d_with_indices</c>: a value replaces the running maximum when it is greater or NaN).
    /// </summary>
    public static Tensor Max(Tensor x, Window2d window, int[] argMax)
    {
        int planes = x.Shape[0] * x.Shape[1];
        Array result = Tensor.AllocateUninitialized(x.DType, planes * window.Windows);
        if (x.Data is float[] f)
        {
            Max(f, (float[])result, window, planes, argMax);
        }
        else
        {
            Max((double[])x.Data, (double[])result, window, planes, argMax);
        }

        return new Tensor(result, new Shape(x.Shape[0], x.Shape[1], window.OutHeight, window.OutWidth));
    }

    /// <summary>x at every arg-max, in <paramref name="shape"/> (0 where there is none).</summary>
    public static Tensor Gather(Tensor x, int[] argMax, Shape shape)
    {
        Array result = Tensor.AllocateUninitialized(x.DType, argMax.Length);
        if (x.Data is float[] f)
        {
            Gather(f, (float[])result, argMax);
        }
        else
        {
            Gather((double[])x.Data, (double[])result, argMax);
        }

        return new Tensor(result, shape);
    }

    /// <summary>Zeros of <paramref name="shape"/> with element k of <paramref name="g"/> added at arg-max k; an input element
    /// that is the maximum of several windows receives the sum.</summary>
    public static Tensor ScatterAdd(Tensor g, int[] argMax, Shape shape)
    {
        Array result = Tensor.Allocate(g.DType, shape.Size);
        if (g.Data is float[] f)
        {
            ScatterAdd(f, (float[])result, argMax);
        }
        else
        {
            ScatterAdd((double[])g.Data, (double[])result, argMax);
        }

        return new Tensor(result, shape);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Max<T>(T[] x, T[] y, Window2d g, int planes, int[] argMax)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int height = g.Height, width = g.Width, outH = g.OutHeight, outW = g.OutWidth;
        int kh = g.Kernel.Height, kw = g.Kernel.Width, dh = g.Dilation.Height, dw = g.Dilation.Width;
        int k = 0;
        for (int p = 0; p < planes; p++)
        {
            int plane = p * height * width;
            for (int oh = 0; oh < outH; oh++)
            {
                int h0 = (oh * g.Stride.Height) - g.Padding.Height;
                for (int ow = 0; ow < outW; ow++, k++)
                {
                    int w0 = (ow * g.Stride.Width) - g.Padding.Width;
                    T max = T.NegativeInfinity;
                    int at = -1;
                    for (int i = 0; i < kh; i++)
                    {
                        int h = h0 + (i * dh);
                        if ((uint)h >= (uint)height)
                        {
                            continue;
                        }

                        int row = plane + (h * width);
                        for (int j = 0; j < kw; j++)
                        {
                            int w = w0 + (j * dw);
                            if ((uint)w >= (uint)width)
                            {
                                continue;
                            }

                            // The first element in the plane is taken even at −∞, so the gradient has a place to go.
                            T v = x[row + w];
                            if (at < 0 || v > max || T.IsNaN(v))
                            {
                                max = v;
                                at = row + w;
                            }
                        }
                    }

                    y[k] = max;
                    argMax[k] = at;
                }
            }
        }
    }

    private static void Gather<T>(T[] x, T[] y, int[] argMax)
        where T : unmanaged, INumberBase<T>
    {
        for (int k = 0; k < argMax.Length; k++)
        {
            y[k] = argMax[k] >= 0 ? x[argMax[k]] : T.Zero;
        }
    }

    private static void ScatterAdd<T>(T[] g, T[] result, int[] argMax)
        where T : unmanaged, INumberBase<T>
    {
        for (int k = 0; k < argMax.Length; k++)
        {
            if (argMax[k] >= 0)
            {
                result[argMax[k]] += g[k];
            }
        }
    }
}
