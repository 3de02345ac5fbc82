using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralNet;

/// <summary>
/// The im2col gather (unfold) and its adjoint, the col2im scatter-add (fold), between planes [N, C, H, W] and columns
/// [N, C·kh·kw, L] of window elements. Element (c, i, j) of window l is row r = (c·kh + i)·kw + j, as in PyTorch's
/// <c>F.unfold</c>.
/// </summary>
/// <remarks>
/// Both kernels walk the same segments, one per (n, r, window row): a run of window columns along one input row, which
/// at stride 1 is contiguous on both sides (a span copy, or a <c>TensorPrimitives.Add</c> for the fold). Images are
/// independent, so a large batch is split across <see cref="Parallelism.ThreadCount"/> threads, image by image.
/// </remarks>
internal static class Im2Col
{
    /// <summary>The fewest elements worth splitting across threads.</summary>
    private const long ParallelWork = 1L << 16;

    /// <summary>The columns [N, C·kh·kw, L] of <paramref name="x"/> [N, C, H, W]. Padding reads as 0.</summary>
    public static Tensor Unfold(Tensor x, Window2d window)
    {
        int batch = x.Shape[0], channels = x.Shape[1];
        int k = channels * window.KernelSize, l = window.Windows;
        // Without padding every window lies inside the plane, so the walk writes every element; with it, the elements
        // in the padding are the zeros of a cleared buffer.
        Array result = window.Padding == default
            ? Tensor.AllocateUninitialized(x.DType, batch * k * l)
            : Tensor.Allocate(x.DType, batch * k * l);
        Run(x.Data, result, window, batch, channels, fold: false, (long)batch * k * l);
        return new Tensor(result, new Shape(batch, k, l));
    }

    /// <summary><see cref="Unfold"/> into <paramref name="output"/>, an array of N·C·kh·kw·L elements.</summary>
    public static void UnfoldInto(Tensor x, Window2d window, Array output)
    {
        if (window.Padding != default)
        {
            Array.Clear(output);
        }

        Run(x.Data, output, window, x.Shape[0], x.Shape[1], fold: false, output.Length);
    }

    /// <summary>The planes [N, C, H, W] that columns <paramref name="columns"/> [N, C·kh·kw, L] sum to: each element is
    /// added at its window position; padding positions are dropped.</summary>
    public static Tensor Fold(Tensor columns, Window2d window, int channels)
    {
        int batch = columns.Shape[0];
        Array result = Tensor.Allocate(columns.DType, batch * channels * window.Height * window.Width);
        Run(result, columns.Data, window, batch, channels, fold: true, columns.Size);
        return new Tensor(result, new Shape(batch, channels, window.Height, window.Width));
    }

    /// <summary><see cref="Fold"/> into <paramref name="output"/>, an array of N·C·H·W elements, which it clears first.</summary>
    public static void FoldInto(Tensor columns, Window2d window, int channels, Array output)
    {
        Array.Clear(output);
        Run(output, columns.Data, window, columns.Shape[0], channels, fold: true, columns.Size);
    }

    private static void Run(Array planes, Array columns, Window2d window, int batch, int channels, bool fold, long work)
    {
        int threads = work < ParallelWork ? 1 : Parallelism.ThreadCount;
        if (planes is float[] f)
        {
            Images<float>.Run(f, (float[])columns, window, channels, fold, batch, threads);
        }
        else
        {
            Images<double>.Run((double[])planes, (double[])columns, window, channels, fold, batch, threads);
        }
    }

    /// <summary>One image per part: copies its planes into its columns, or (fold) adds its columns into its planes.</summary>
    /// <remarks>One object per thread and type, set up for each call, so that the kernel allocates nothing; a call never
    /// starts another on its thread, so one is enough.</remarks>
    private sealed class Images<T> : ForkJoinBody
        where T : unmanaged, INumberBase<T>
    {
        [ThreadStatic]
        private static Images<T>? t_images;

        private T[] planes = [], columns = [];
        private Window2d g;
        private int channels;
        private bool fold;

        /// <summary>Runs the walk over <paramref name="batch"/> images on up to <paramref name="threads"/> threads.</summary>
        public static void Run(T[] planes, T[] columns, Window2d g, int channels, bool fold, int batch, int threads)
        {
            Images<T> images = t_images ??= new Images<T>();
            (images.planes, images.columns, images.g, images.channels, images.fold) = (planes, columns, g, channels, fold);
            try
            {
                ForkJoin.For(batch, threads, images);
            }
            finally
            {
                // Forget the buffers, which go back to the pool with their step.
                (images.planes, images.columns) = ([], []);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Invoke(int n)
        {
            int kh = g.Kernel.Height, kw = g.Kernel.Width, sh = g.Stride.Height, sw = g.Stride.Width;
            int height = g.Height, width = g.Width, outH = g.OutHeight, outW = g.OutWidth;
            int k = channels * kh * kw, l = outH * outW;
            for (int c = 0; c < channels; c++)
            {
                int plane = ((n * channels) + c) * height * width;
                for (int i = 0; i < kh; i++)
                {
                    for (int j = 0; j < kw; j++)
                    {
                        int r = (((c * kh) + i) * kw) + j;
                        int baseIndex = ((n * k) + r) * l;

                        // Window column ow reads input column ow·sw + offset; first..last−1 are the ones inside the row.
                        int offset = (j * g.Dilation.Width) - g.Padding.Width;
                        int first = offset >= 0 ? 0 : (-offset + sw - 1) / sw;
                        int last = width - 1 - offset < 0 ? 0 : Math.Min(outW, ((width - 1 - offset) / sw) + 1);
                        if (last <= first)
                        {
                            continue;
                        }

                        for (int oh = 0; oh < outH; oh++)
                        {
                            int h = (oh * sh) - g.Padding.Height + (i * g.Dilation.Height);
                            if ((uint)h >= (uint)height)
                            {
                                continue;
                            }

                            int source = plane + (h * width) + (first * sw) + offset;
                            int target = baseIndex + (oh * outW) + first;
                            int count = last - first;
                            if (sw == 1)
                            {
                                Span<T> row = planes.AsSpan(source, count), segment = columns.AsSpan(target, count);
                                if (fold)
                                {
                                    TP.Add<T>(row, segment, row);
                                }
                                else
                                {
                                    row.CopyTo(segment);
                                }
                            }
                            else if (fold)
                            {
                                for (int q = 0; q < count; q++)
                                {
                                    planes[source + (q * sw)] += columns[target + q];
                                }
                            }
                            else
                            {
                                for (int q = 0; q < count; q++)
                                {
                                    columns[target + q] = planes[source + (q * sw)];
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
