using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralNet;

/// <summary>
/// The two products of a convolution over columns laid out [N, Q, R] (one matrix per image): one shared matrix times
/// every image's matrix, and the sum over images of one batch's matrices times the other's transposed.
/// </summary>
/// <remarks>
/// A convolution's products are small per image (out × C·kh·kw times C·kh·kw × L), too small for the GEMM to split
/// well, so the images are what run in parallel: on <see cref="Parallelism.ThreadCount"/> threads, each image's
/// product on one thread and computed as on one thread, so the result is bit-identical for every thread count.
/// </remarks>
internal static class BatchedProduct
{
    /// <summary>The fewest multiply-adds worth splitting across threads.</summary>
    private const long ParallelWork = 1L << 18;

    /// <summary>C[n] = op(A)·B[n] (+ bias[p] on row p): A [P, Q] (or [Q, P] when <paramref name="transposeA"/>),
    /// B [N, Q, R], bias [P] or none; the result is [N, P, R].</summary>
    public static Tensor SharedLeft(Tensor a, bool transposeA, Tensor b, Tensor? bias)
    {
        int p = a.Shape[transposeA ? 1 : 0];
        var shape = new Shape(b.Shape[0], p, b.Shape[2]);
        Array data = Tensor.AllocateUninitialized(a.DType, shape.Size);
        SharedLeftInto(a, transposeA, b, bias, data);
        return new Tensor(data, shape);
    }

    /// <summary><see cref="SharedLeft"/> into <paramref name="output"/>, an array of N·P·R elements.</summary>
    public static void SharedLeftInto(Tensor a, bool transposeA, Tensor b, Tensor? bias, Array output)
    {
        int p = a.Shape[transposeA ? 1 : 0], q = a.Shape[transposeA ? 0 : 1];
        if (output is float[] f)
        {
            Images<float>.Run((float[])a.Data, transposeA, (float[])b.Data, (float[]?)bias?.Data, f, (b.Shape[0], p, q, b.Shape[2]), sum: false);
        }
        else
        {
            Images<double>.Run((double[])a.Data, transposeA, (double[])b.Data, (double[]?)bias?.Data, (double[])output, (b.Shape[0], p, q, b.Shape[2]), sum: false);
        }
    }

    /// <summary>D = Σ over n of G[n]·B[n]ᵀ for G [N, P, R] and B [N, Q, R]; the result is [P, Q].</summary>
    public static Tensor SummedOuter(Tensor g, Tensor b)
    {
        var shape = new Shape(g.Shape[1], b.Shape[1]);
        Array data = Tensor.AllocateUninitialized(g.DType, shape.Size);
        SummedOuterInto(g, b, data);
        return new Tensor(data, shape);
    }

    /// <summary><see cref="SummedOuter"/> into <paramref name="output"/>, an array of P·Q elements.</summary>
    public static void SummedOuterInto(Tensor g, Tensor b, Array output)
    {
        int n = g.Shape[0], p = g.Shape[1], q = b.Shape[1], r = g.Shape[2];
        if (output is float[] f)
        {
            Images<float>.Run((float[])g.Data, false, (float[])b.Data, null, f, (n, p, q, r), sum: true);
        }
        else
        {
            Images<double>.Run((double[])g.Data, false, (double[])b.Data, null, (double[])output, (n, p, q, r), sum: true);
        }
    }

    /// <summary>
    /// One batched product as a parallel loop. Shared-left: part n is image n. Summed: the images' products add up into
    /// one D, so the parts are ranges of D's rows instead, each summing every image in order, which keeps the sum's
    /// order, and so its rounding, that of one thread.
    /// </summary>
    /// <remarks>One object per thread and type, set up for each product, so that a product allocates nothing; a product
    /// never starts another batched product on its thread, so one is enough.</remarks>
    private sealed class Images<T> : ForkJoinBody
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        /// <summary>A multiple of every micro-kernel's rows, so that parts split D between tiles.</summary>
        private const int RowTile = 8;

        [ThreadStatic]
        private static Images<T>? t_images;

        private T[] a = [], b = [], c = [];
        private T[]? bias;
        private bool transposeA, sum;
        private int n, p, q, r;

        // One range of D's rows per thread: every part packs all of each image's B, so more parts would pack it again.
        private int _rowsPerPart;

        /// <summary>Runs the product of operands of sizes <paramref name="size"/> = (N, P, Q, R) on up to
        /// <see cref="Parallelism.ThreadCount"/> threads.</summary>
        public static void Run(T[] a, bool transposeA, T[] b, T[]? bias, T[] c, (int N, int P, int Q, int R) size, bool sum)
        {
            Images<T> images = t_images ??= new Images<T>();
            (images.a, images.transposeA, images.b, images.bias, images.c, images.sum) = (a, transposeA, b, bias, c, sum);
            (images.n, images.p, images.q, images.r) = size;
            try
            {
                images.Run();
            }
            finally
            {
                // Forget the buffers, which go back to the pool with their step.
                (images.a, images.b, images.c, images.bias) = ([], [], [], null);
            }
        }

        private void Run()
        {
            if (sum && n == 0)
            {
                c.AsSpan(0, p * q).Clear();
                return;
            }

            int threads = (long)n * p * q * r < ParallelWork ? 1 : Parallelism.ThreadCount;
            _rowsPerPart = RoundUp((p + threads - 1) / threads, RowTile);
            ForkJoin.For(sum ? (p + _rowsPerPart - 1) / _rowsPerPart : n, threads, this);
        }

        public override void Invoke(int part)
        {
            if (sum)
            {
                Summed(part * _rowsPerPart, Math.Min(p, (part + 1) * _rowsPerPart));
            }
            else
            {
                Image(part);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Image(int image)
        {
            Span<T> output = c.AsSpan(image * p * r, p * r);
            if (bias is not null)
            {
                for (int row = 0; row < p; row++)
                {
                    output.Slice(row * r, r).Fill(bias[row]);
                }
            }

            Gemm.Multiply<T>(a, transposeA, b.AsSpan(image * q * r, q * r), false, output, p, r, q, overwrite: bias is null);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Summed(int first, int last)
        {
            Span<T> rows = c.AsSpan(first * q, (last - first) * q);
            for (int image = 0; image < n; image++)
            {
                ReadOnlySpan<T> g = a.AsSpan(((image * p) + first) * r, (last - first) * r);
                Gemm.Multiply<T>(g, false, b.AsSpan(image * q * r, q * r), true, rows, last - first, q, r, overwrite: image == 0);
            }
        }

        private static int RoundUp(int value, int multiple) => Math.Max(multiple, (value + multiple - 1) / multiple * multiple);
    }
}
