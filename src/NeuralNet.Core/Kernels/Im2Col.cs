using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralNet;

/// <summary>
/// The im2col gather (unfold) and its adjoint, the col2im scatter-add (fold), between planes [N, C, H, W] and columns
/// of window elements. Element (c, i, j) of window l is row r = (c·kh + i)·kw + j, as in PyTorch's <c>F.unfold</c>.
/// </summary>
/// <remarks>
/// Columns are laid out [N, C·kh·kw, L] (PyTorch's), or [N, L, C·kh·kw] ("rows", one window per row), which is what a
/// convolution multiplies: all the batch's windows are then one matrix for one GEMM. Both kernels walk the same
/// segments, one per (n, r, window row): a run of window columns along one input row, contiguous on both sides when the
/// stride is 1 in the [N, C·kh·kw, L] layout (a span copy, or a <c>TensorPrimitives.Add</c> for the fold).
/// </remarks>
internal static class Im2Col
{
    /// <summary>The columns of <paramref name="x"/> [N, C, H, W]: [N, C·kh·kw, L], or [N, L, C·kh·kw] with <paramref name="rows"/>.
    /// Padding reads as 0.</summary>
    public static Tensor Unfold(Tensor x, Window2d window, bool rows)
    {
        int batch = x.Shape[0], channels = x.Shape[1];
        int k = channels * window.KernelSize, l = window.Windows;
        // Without padding every window lies inside the plane, so the walk writes every element; with it, the elements
        // in the padding are the zeros of a cleared buffer.
        Array result = window.Padding == default
            ? Tensor.AllocateUninitialized(x.DType, batch * k * l)
            : Tensor.Allocate(x.DType, batch * k * l);
        if (x.Data is float[] f)
        {
            Walk(f, (float[])result, window, batch, channels, rows, fold: false);
        }
        else
        {
            Walk((double[])x.Data, (double[])result, window, batch, channels, rows, fold: false);
        }

        return new Tensor(result, rows ? new Shape(batch, l, k) : new Shape(batch, k, l));
    }

    /// <summary>The planes [N, C, H, W] that columns <paramref name="columns"/> (laid out as <see cref="Unfold"/> makes them)
    /// sum to: each element is added at its window position; padding positions are dropped.</summary>
    public static Tensor Fold(Tensor columns, Window2d window, int channels, bool rows)
    {
        int batch = columns.Shape[0];
        Array result = Tensor.Allocate(columns.DType, batch * channels * window.Height * window.Width);
        if (columns.Data is float[] f)
        {
            Walk((float[])result, f, window, batch, channels, rows, fold: true);
        }
        else
        {
            Walk((double[])result, (double[])columns.Data, window, batch, channels, rows, fold: true);
        }

        return new Tensor(result, new Shape(batch, channels, window.Height, window.Width));
    }

    /// <summary>Copies the planes into the columns, or (<paramref name="fold"/>) adds the columns into the planes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Walk<T>(T[] planes, T[] columns, Window2d g, int batch, int channels, bool rows, bool fold)
        where T : unmanaged, INumberBase<T>
    {
        int kh = g.Kernel.Height, kw = g.Kernel.Width, sh = g.Stride.Height, sw = g.Stride.Width;
        int height = g.Height, width = g.Width, outH = g.OutHeight, outW = g.OutWidth;
        int k = channels * kh * kw, l = outH * outW;

        // Element (r, window) of a batch entry's columns sits at r·rowStride + window·windowStride.
        int rowStride = rows ? 1 : l, windowStride = rows ? k : 1;
        bool contiguous = windowStride == 1 && sw == 1;
        for (int n = 0; n < batch; n++)
        {
            for (int c = 0; c < channels; c++)
            {
                int plane = ((n * channels) + c) * height * width;
                for (int i = 0; i < kh; i++)
                {
                    for (int j = 0; j < kw; j++)
                    {
                        int r = (((c * kh) + i) * kw) + j;
                        int baseIndex = (n * k * l) + (r * rowStride);

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
                            int target = baseIndex + (((oh * outW) + first) * windowStride);
                            int count = last - first;
                            if (contiguous)
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
                                    planes[source + (q * sw)] += columns[target + (q * windowStride)];
                                }
                            }
                            else
                            {
                                for (int q = 0; q < count; q++)
                                {
                                    columns[target + (q * windowStride)] = planes[source + (q * sw)];
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
