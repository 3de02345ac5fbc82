using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NeuralNet;

/// <summary>
/// Max pooling over planes [N, C, H, W], and the gather and scatter-add at its arg-max positions that carry its
/// derivatives. An arg-max is a flat index into the input, or −1 for a window that holds padding only.
/// </summary>
internal static class PoolKernel
{
    /// <summary>Planes of this many input elements and more are split over the threads, whole planes per part.</summary>
    private const long ParallelWork = 1L << 16;

    /// <summary>
    /// The maximum of every window of <paramref name="x"/> (padding is −∞), writing each window's arg-max into
    /// <paramref name="argMax"/>: the first maximum in row-major window order, or the last NaN when the window holds one
    /// (PyTorch's CPU <c>max_pool2d_with_indices</c>: a value replaces the running maximum when it is greater or NaN).
    /// </summary>
    public static Tensor Max(Tensor x, Window2d window, int[] argMax)
    {
        Array result = Tensor.AllocateUninitialized(x.DType, argMax.Length);
        MaxInto(x, window, argMax, result);
        return new Tensor(result, new Shape(x.Shape[0], x.Shape[1], window.OutHeight, window.OutWidth));
    }

    /// <summary><see cref="Max(Tensor, Window2d, int[])"/> into <paramref name="output"/>, an array of N·C·L elements.</summary>
    public static void MaxInto(Tensor x, Window2d window, int[] argMax, Array output)
    {
        int planes = x.Shape[0] * x.Shape[1], threads = Threads(x.Size);
        if (x.Data is float[] f)
        {
            Planes<float>.Run(f, (float[])output, argMax, window, planes, threads);
        }
        else
        {
            Planes<double>.Run((double[])x.Data, (double[])output, argMax, window, planes, threads);
        }
    }

    /// <summary>x at every arg-max, in <paramref name="shape"/> (0 where there is none).</summary>
    public static Tensor Gather(Tensor x, int[] argMax, Shape shape)
    {
        Array result = Tensor.AllocateUninitialized(x.DType, argMax.Length);
        GatherInto(x, argMax, result);
        return new Tensor(result, shape);
    }

    /// <summary><see cref="Gather(Tensor, int[], Shape)"/> into <paramref name="output"/>, an array of one element per arg-max.</summary>
    public static void GatherInto(Tensor x, int[] argMax, Array output)
    {
        if (x.Data is float[] f)
        {
            Gather(f, (float[])output, argMax);
        }
        else
        {
            Gather((double[])x.Data, (double[])output, argMax);
        }
    }

    /// <summary>Zeros of <paramref name="shape"/> with element k of <paramref name="g"/> added at arg-max k; an input element
    /// that is the maximum of several windows receives the sum.</summary>
    public static Tensor ScatterAdd(Tensor g, int[] argMax, Shape shape)
    {
        Array result = Tensor.Allocate(g.DType, shape.Size);
        Scatter(g, argMax, result);
        return new Tensor(result, shape);
    }

    /// <summary><see cref="ScatterAdd(Tensor, int[], Shape)"/> into <paramref name="output"/>, which it clears first.</summary>
    public static void ScatterAddInto(Tensor g, int[] argMax, Array output)
    {
        Array.Clear(output);
        Scatter(g, argMax, output);
    }

    /// <summary>Adds element k of <paramref name="g"/> (pooled-shaped, [N, C, outH, outW]) into <paramref name="result"/> at
    /// arg-max k.</summary>
    private static void Scatter(Tensor g, int[] argMax, Array result)
    {
        int planes = g.Shape[0] * g.Shape[1], threads = Threads(result.Length);
        if (g.Data is float[] f)
        {
            Planes<float>.Run(f, (float[])result, argMax, null, planes, threads);
        }
        else
        {
            Planes<double>.Run((double[])g.Data, (double[])result, argMax, null, planes, threads);
        }
    }

    private static int Threads(long work) => work < ParallelWork ? 1 : Parallelism.ThreadCount;

    /// <summary>The max pool of planes <paramref name="first"/> to <paramref name="end"/> − 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Max<T>(T[] x, T[] y, Window2d g, int first, int end, int[] argMax)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (g.Kernel == 2 && g.Stride == 2 && g.Padding == default && g.Dilation == 1)
        {
            Max2x2(x, y, g, first, end, argMax);
            return;
        }

        int height = g.Height, width = g.Width, outH = g.OutHeight, outW = g.OutWidth;
        int kh = g.Kernel.Height, kw = g.Kernel.Width, dh = g.Dilation.Height, dw = g.Dilation.Width;
        int k = first * outH * outW;
        for (int p = first; p < end; p++)
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

    /// <summary>
    /// <see cref="Max{T}"/> for the common 2×2 window at stride 2 without padding: every window lies inside the plane,
    /// so its four elements are read directly and compared in the general loop's order, with the same rule.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Max2x2<T>(T[] x, T[] y, Window2d g, int first, int end, int[] argMax)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int height = g.Height, width = g.Width, outH = g.OutHeight, outW = g.OutWidth;
        int k = first * outH * outW;
        for (int p = first; p < end; p++)
        {
            for (int oh = 0; oh < outH; oh++)
            {
                int top = (p * height * width) + (2 * oh * width);
                ReadOnlySpan<T> upper = x.AsSpan(top, 2 * outW), lower = x.AsSpan(top + width, 2 * outW);
                Span<T> values = y.AsSpan(k, outW);
                Span<int> at = argMax.AsSpan(k, outW);
                int ow = typeof(T) == typeof(float) && Vector128.IsHardwareAccelerated
                    ? Max2x2Blocks((float[])(object)x, (float[])(object)y, argMax, top, width, k, outW)
                    : 0;
                for (; ow < values.Length; ow++)
                {
                    int w = 2 * ow;
                    T max = upper[w];
                    int index = top + w;
                    Take(upper[w + 1], top + w + 1, ref max, ref index);
                    Take(lower[w], top + width + w, ref max, ref index);
                    Take(lower[w + 1], top + width + w + 1, ref max, ref index);
                    values[ow] = max;
                    at[ow] = index;
                }

                k += outW;
            }
        }
    }

    /// <summary>
    /// The first outputs of one row of <see cref="Max2x2{T}"/> in Float32, four at a time; returns how many it wrote.
    /// Lane e of a vector loaded at input column 2·ow holds column 2·ow + e, so its even lanes start windows: each takes
    /// its right neighbour by a swap of adjacent lanes, and the even lanes of two vectors narrow into four outputs.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Max2x2Blocks(float[] x, float[] y, int[] argMax, int top, int width, int k, int outW)
    {
        int ow = 0;
        for (; ow + 4 <= outW; ow += 4)
        {
            (Vector128<float> max0, Vector128<int> at0) = Windows(x, top + (2 * ow), width);
            (Vector128<float> max1, Vector128<int> at1) = Windows(x, top + (2 * ow) + 4, width);
            Vector128.Narrow(max0.AsInt64(), max1.AsInt64()).AsSingle().StoreUnsafe(ref y[k + ow]);
            Vector128.Narrow(at0.AsInt64(), at1.AsInt64()).StoreUnsafe(ref argMax[k + ow]);
        }

        return ow;
    }

    /// <summary>The maxima and arg-maxima of the windows starting at the even lanes of input columns at <paramref name="at"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector128<float> Max, Vector128<int> At) Windows(float[] x, int at, int width)
    {
        Vector128<int> swap = Vector128.Create(1, 0, 3, 2);
        Vector128<float> upper = Vector128.LoadUnsafe(ref x[at]), lower = Vector128.LoadUnsafe(ref x[at + width]);
        Vector128<int> position = Vector128.Create(at) + Vector128.Create(0, 1, 2, 3);
        Vector128<float> max = upper;
        Vector128<int> index = position;
        Take(Vector128.Shuffle(upper, swap), position + Vector128<int>.One, ref max, ref index);
        Take(lower, position + Vector128.Create(width), ref max, ref index);
        Take(Vector128.Shuffle(lower, swap), position + Vector128.Create(width + 1), ref max, ref index);
        return (max, index);
    }

    /// <summary>The running maximum's rule lane by lane: <paramref name="v"/> replaces it when greater, or NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Take(Vector128<float> v, Vector128<int> position, ref Vector128<float> max, ref Vector128<int> index)
    {
        Vector128<float> take = Vector128.GreaterThan(v, max) | ~Vector128.Equals(v, v);
        max = Vector128.ConditionalSelect(take, v, max);
        index = Vector128.ConditionalSelect(take.AsInt32(), position, index);
    }

    /// <summary>The running maximum's rule: <paramref name="v"/> replaces it when greater, or NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Take<T>(T v, int position, ref T max, ref int index)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool take = v > max || T.IsNaN(v);
        max = take ? v : max;
        index = take ? position : index;
    }

    private static void Gather<T>(T[] x, T[] y, int[] argMax)
        where T : unmanaged, INumberBase<T>
    {
        for (int k = 0; k < argMax.Length; k++)
        {
            y[k] = argMax[k] >= 0 ? x[argMax[k]] : T.Zero;
        }
    }

    /// <summary>Adds g[k] into result at arg-max k for k in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    private static void ScatterAdd<T>(T[] g, T[] result, int[] argMax, int from, int to)
        where T : unmanaged, INumberBase<T>
    {
        for (int k = from; k < to; k++)
        {
            if (argMax[k] >= 0)
            {
                result[argMax[k]] += g[k];
            }
        }
    }

    /// <summary>
    /// Whole planes per part: the max pool of a range of planes (<c>window</c> set), or the scatter-add of their pooled
    /// cotangents (<c>window</c> null), whose arg-max positions all lie in their own planes, so parts write disjoint
    /// elements, each in the one-thread order: the same bits for any thread count.
    /// </summary>
    /// <remarks>One object per thread and type, set up for each call, so that the kernel allocates nothing.</remarks>
    private sealed class Planes<T> : ForkJoinBody
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic]
        private static Planes<T>? t_planes;

        private T[] source = [], target = [];
        private int[] argMax = [];
        private Window2d? window;
        private int planes, parts;

        /// <summary>Pools <paramref name="source"/> into <paramref name="target"/> over <paramref name="window"/>, or (null)
        /// adds the pooled <paramref name="source"/> into <paramref name="target"/> at the arg-max positions.</summary>
        public static void Run(T[] source, T[] target, int[] argMax, Window2d? window, int planes, int threads)
        {
            if (threads <= 1 || planes < 2)
            {
                Part(source, target, argMax, window, planes, 0, planes);
                return;
            }

            Planes<T> body = t_planes ??= new Planes<T>();
            (body.source, body.target, body.argMax, body.window, body.planes) = (source, target, argMax, window, planes);
            body.parts = Math.Min(planes, 4 * threads);
            try
            {
                ForkJoin.For(body.parts, threads, body);
            }
            finally
            {
                // Forget the buffers, which go back to the pool with their step.
                (body.source, body.target, body.argMax) = ([], [], []);
            }
        }

        public override void Invoke(int part) =>
            Part(source, target, argMax, window, planes, (int)((long)planes * part / parts), (int)((long)planes * (part + 1) / parts));

        private static void Part(T[] source, T[] target, int[] argMax, Window2d? window, int planes, int first, int end)
        {
            if (window is { } g)
            {
                Max(source, target, g, first, end, argMax);
            }
            else
            {
                int windows = argMax.Length / planes;
                ScatterAdd(source, target, argMax, first * windows, end * windows);
            }
        }
    }
}
