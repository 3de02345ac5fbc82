using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuralNet;

/// <summary>
/// General matrix multiply C += op(A)·op(B) on row-major storage, where op is the identity or the transpose.
/// </summary>
/// <remarks>
/// The blocking follows Goto and van de Geijn, "Anatomy of high-performance matrix multiplication" (ACM TOMS
/// 2008) and the BLIS framework (Van Zee and van de Geijn, 2015): B is packed into KC×NR column panels that
/// stay in L1, A into MR×KC row panels that stay in L2, and a register-blocked micro-kernel keeps an MR×NR
/// tile of C in vector registers across the KC loop. Transposed operands are read in place while packing, so
/// no transposed copy is ever made. Large products split each block's packing and tiles over threads.
/// </remarks>
internal static unsafe partial class Gemm
{
    /// <summary>The most rows any micro-kernel tile has (<see cref="IVectorOps{T, TVector}.Rows"/>).</summary>
    private const int MaxMR = 8;
    private const int KC = 256;
    private const int MC = 128;
    private const int NC = 2048;
    private const long ParallelWork = 1L << 20;

    /// <summary>
    /// C[m,n] += op(A)[m,k] · op(B)[k,n], or C = op(A)·op(B) with <paramref name="overwrite"/> (BLAS's β = 0: C may
    /// hold anything, and no pass clears it first). A is stored [m,k] (or [k,m] when <paramref name="transposeA"/>) and
    /// B is stored [k,n] (or [n,k] when <paramref name="transposeB"/>), all row-major and contiguous. With
    /// <paramref name="rectify"/>, C ends as max(·, 0) of that result (a ReLU epilogue, in the same pass as the store).
    /// </summary>
    public static void Multiply<T>(
        ReadOnlySpan<T> a, bool transposeA, ReadOnlySpan<T> b, bool transposeB, Span<T> c, int m, int n, int k, bool overwrite = false, bool rectify = false)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (m == 0 || n == 0 || k == 0)
        {
            if (overwrite)
            {
                c[..(m * n)].Clear();
            }

            if (rectify)
            {
                TP.Max(c[..(m * n)], T.Zero, c[..(m * n)]);
            }

            return;
        }

        fixed (T* pa = a, pb = b, pc = c)
        {
            var operands = new Operands<T>(pa, transposeA, transposeA ? m : k, pb, transposeB, transposeB ? k : n, pc, n, m, n, k, overwrite, rectify);
            if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
            {
                Split<T, Vector512<T>, Vector512Ops<T>>(operands);
            }
            else
            {
                Split<T, Vector256<T>, Vector256Ops<T>>(operands);
            }
        }
    }

    /// <summary>
    /// Runs a large product on <see cref="Parallelism.ThreadCount"/> threads (<see cref="ParallelProduct{T, TVector, TOps}"/>)
    /// and a small one, or one on one thread, on the calling thread.
    /// </summary>
    private static void Split<T, TVector, TOps>(Operands<T> o)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TVector : struct
        where TOps : struct, IVectorOps<T, TVector>
    {
        int threads = (long)o.M * o.N * o.K < ParallelWork ? 1 : Parallelism.ThreadCount;
        if (threads <= 1)
        {
            Run<T, TVector, TOps>(o);
            return;
        }

        RunInParallel<T, TVector, TOps>(o, threads);
    }

    /// <summary>The blocked loops of <see cref="Run{T, TVector, TOps}"/>, each block's packing and tiles split over
    /// <paramref name="threads"/> threads.</summary>
    private static void RunInParallel<T, TVector, TOps>(Operands<T> o, int threads)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TVector : struct
        where TOps : struct, IVectorOps<T, TVector>
    {
        int kcMax = SliceOfK(o.K);
        int ncMax = Math.Min(NC, RoundUp(o.N, 2 * TOps.Width));
        T[] packedB = ArrayPool<T>.Shared.Rent(kcMax * ncMax);
        try
        {
            fixed (T* bp = packedB)
            {
                var product = ParallelProduct<T, TVector, TOps>.For(o, bp, threads);
                try
                {
                    for (int jc = 0; jc < o.N; jc += NC)
                    {
                        for (int pc = 0; pc < o.K; pc += kcMax)
                        {
                            product.Block(jc, Math.Min(NC, o.N - jc), pc, Math.Min(kcMax, o.K - pc));
                        }
                    }
                }
                finally
                {
                    product.Clear();
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(packedB);
        }
    }

    /// <summary>The length of each k slice: equal slices of at most <see cref="KC"/> (784 = 4 × 196, not 3 × 256 + 16),
    /// since a thin last slice would pay a full pass over C.</summary>
    private static int SliceOfK(int k) => (k + ((k + KC - 1) / KC) - 1) / ((k + KC - 1) / KC);

    private static void Run<T, TVector, TOps>(Operands<T> o)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TVector : struct
        where TOps : struct, IVectorOps<T, TVector>
    {
        int nr = 2 * TOps.Width;
        int kcMax = SliceOfK(o.K);
        int ncMax = Math.Min(NC, RoundUp(o.N, nr));
        T[] packedB = ArrayPool<T>.Shared.Rent(kcMax * ncMax);
        try
        {
            fixed (T* bp = packedB)
            {
                for (int jc = 0; jc < o.N; jc += NC)
                {
                    int nc = Math.Min(NC, o.N - jc);
                    for (int pc = 0; pc < o.K; pc += kcMax)
                    {
                        int kc = Math.Min(kcMax, o.K - pc);
                        PackB(o, bp, pc, kc, jc, 0, nc, nc, nr);
                        for (int ic = 0; ic < o.M; ic += RowsPerBlock(TOps.Rows))
                        {
                            RowBlock<T, TVector, TOps>(o, bp, ic, Math.Min(RowsPerBlock(TOps.Rows), o.M - ic), pc, kc, jc, 0, nc, nc);
                        }
                    }
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(packedB);
        }
    }

    /// <summary>Rows of C per row block: a whole number of row tiles, so only the last block can have a short tile.</summary>
    private static int RowsPerBlock(int mr) => MC / mr * mr;

    /// <summary>
    /// Runs the micro-kernels over every tile of rows ic..ic+mc of C and columns firstColumn..lastColumn of the packed B
    /// block (offsets from jc, whole panels), reading A in place or from MR-row packed panels (see <see cref="ShouldPackA"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RowBlock<T, TVector, TOps>(Operands<T> o, T* packedB, int ic, int mc, int pc, int kc, int jc, int firstColumn, int lastColumn, int nc)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TVector : struct
        where TOps : struct, IVectorOps<T, TVector>
    {
        int w = TOps.Width;
        int nr = 2 * w;
        int mr = TOps.Rows;
        bool pack = ShouldPackA<T>(o.N, nr, o.Lda);

        // β = 0: the first k slice stores its tiles over C rather than adding to it, so C is never cleared or read.
        // A ReLU epilogue applies once the last k slice has added its part.
        bool overwrite = o.Overwrite && pc == 0;
        bool rectify = o.Rectify && pc + kc == o.K;
        T[] packedA = ArrayPool<T>.Shared.Rent((pack ? RoundUp(mc, mr) : mr) * kc);
        T* edge = stackalloc T[MaxMR * 2 * 16];
        try
        {
            fixed (T* ap = packedA)
            {
                // Reading a short last tile's missing rows in place would run past A: pack (and zero-pad) it, once.
                int tail = mc - (mc % mr);
                if (pack)
                {
                    PackA(o, ap, ic, mc, pc, kc, mr);
                }
                else if (tail < mc)
                {
                    PackA(o, ap, ic + tail, mc - tail, pc, kc, mr);
                }

                for (int jr = firstColumn; jr < lastColumn; jr += nr)
                {
                    int cols = Math.Min(nr, nc - jr);
                    int width = PanelWidth(cols, w);
                    T* bPanel = packedB + (jr * kc);
                    for (int ir = 0; ir < mc; ir += mr)
                    {
                        int rows = Math.Min(mr, mc - ir);
                        // A packed panel has strides (1, MR); the short last tile is packed even when the rest is not.
                        nint rowStride = 1, kStride = mr;
                        T* aPanel = pack ? ap + (ir * kc) : rows < mr ? ap : InPlace(o, ic + ir, pc, out rowStride, out kStride);

                        T* cTile = o.C + ((long)(ic + ir) * o.Ldc) + jc + jr;
                        if (rows == mr && cols == width)
                        {
                            PrefetchTile(cTile, o.Ldc, mr, width);
                            Tile<T, TVector, TOps>(aPanel, rowStride, kStride, bPanel, width, kc, cTile, o.Ldc, overwrite, rectify);
                        }
                        else
                        {
                            // Edge tile: compute the full tile into a buffer, then add (or copy) the valid part.
                            Tile<T, TVector, TOps>(aPanel, rowStride, kStride, bPanel, width, kc, edge, width, overwrite: true, rectify: false);
                            AddPart(edge, width, rows, cols, cTile, o.Ldc, overwrite, rectify);
                        }
                    }
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(packedA);
        }
    }

    /// <summary>
    /// Where the micro-kernel reads MR rows of op(A) from <paramref name="row"/> on, at step <paramref name="pc"/>, in
    /// place: row r of step p is at [p·kStride + r·rowStride], the strides of A's storage.
    /// </summary>
    private static T* InPlace<T>(Operands<T> o, int row, int pc, out nint rowStride, out nint kStride)
        where T : unmanaged
    {
        (rowStride, kStride) = o.TransposeA ? (1, o.Lda) : (o.Lda, 1);
        return o.TransposeA ? o.AData + ((long)pc * o.Lda) + row : o.AData + ((long)row * o.Lda) + pc;
    }

    /// <summary>
    /// Whether to pack A's block into MR-row panels rather than read it in place. Packing costs a pass over the block
    /// (a transposing one when A's rows run along k), about 6–12% of a training-sized product as measured with the
    /// scalar transposing pack; in place, a tile's MR strided streams of broadcasts are served from L1 and L2 about as fast. The exception is a leading dimension that
    /// is a multiple of 4 KiB: then the lines one tile reads (its MR rows, or its kc steps when A is transposed)
    /// all fall in one L1 set and evict each other, and the contiguous packed copy wins once several panels of B
    /// reuse it (n &gt; 2·NR).
    /// </summary>
    private static bool ShouldPackA<T>(int n, int nr, int lda)
        where T : unmanaged => n > 2 * nr && (long)lda * sizeof(T) % 4096 == 0;

    /// <summary>
    /// The width of a packed B panel holding <paramref name="cols"/> columns: two vectors, or one when the columns fit
    /// in one (a narrow C, or the last panel), so a 10-column product does not spend 22 of 32 lanes on zeros.
    /// </summary>
    private static int PanelWidth(int cols, int w) => cols <= w ? w : 2 * w;

    /// <summary>One MR×<paramref name="width"/> tile through the micro-kernel of that width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile<T, TVector, TOps>(T* a, nint rowStride, nint kStride, T* b, int width, int kc, T* c, int ldc, bool overwrite, bool rectify)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TVector : struct
        where TOps : struct, IVectorOps<T, TVector>
    {
        if (width == TOps.Width)
        {
            NarrowKernel<T, TVector, TOps>(a, rowStride, kStride, b, kc, c, ldc, overwrite, rectify);
        }
        else
        {
            MicroKernel<T, TVector, TOps>(a, rowStride, kStride, b, kc, c, ldc, overwrite, rectify);
        }
    }

    /// <summary>
    /// Starts fetching a tile's rows of C into cache: the micro-kernel reads or writes them only after its whole k loop,
    /// and a result just allocated is rarely cached, so the misses then overlap the loop instead of stalling after it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchTile<T>(T* c, int ldc, int rows, int width)
        where T : unmanaged
    {
        if (!Sse.IsSupported)
        {
            return;
        }

        int last = (width * sizeof(T)) - 1;
        for (int i = 0; i < rows; i++)
        {
            byte* row = (byte*)(c + ((long)i * ldc));
            for (int offset = 0; offset < last; offset += 64)
            {
                Sse.Prefetch0(row + offset);
            }

            Sse.Prefetch0(row + last);
        }
    }

    /// <summary>Adds the first <paramref name="rows"/>×<paramref name="cols"/> of a tile buffer to C, or copies them over
    /// it when <paramref name="overwrite"/>; then, with <paramref name="rectify"/>, takes max(·, 0) of those elements.</summary>
    private static void AddPart<T>(T* tile, int width, int rows, int cols, T* c, int ldc, bool overwrite, bool rectify)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int i = 0; i < rows; i++)
        {
            Span<T> destination = new(c + ((long)i * ldc), cols);
            ReadOnlySpan<T> part = new(tile + (i * width), cols);
            if (overwrite)
            {
                part.CopyTo(destination);
            }
            else
            {
                TP.Add(destination, part, destination);
            }

            if (rectify)
            {
                TP.Max(destination, T.Zero, destination);
            }
        }
    }

    /// <summary>
    /// The register-blocked core: an MR×NR tile of C (NR = two vectors) accumulates Σₚ A[:,p]·B[p,:] in 2·MR
    /// vector registers, then is added to C (or stored over it, for β = 0). Each step loads two vectors of B and broadcasts MR values of A. MR is
    /// <see cref="IVectorOps{T, TVector}.Rows"/>, a constant per instantiation, so the JIT drops rows 6 and 7 for six.
    /// Row r of A's step p is at a[p·kStride + r·rowStride]: (1, MR) for a packed panel, or A's own strides in place.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MicroKernel<T, TVector, TOps>(T* a, nint rowStride, nint kStride, T* b, int kc, T* c, int ldc, bool overwrite, bool rectify)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TVector : struct
        where TOps : struct, IVectorOps<T, TVector>
    {
        int w = TOps.Width;
        nint r1 = rowStride, r2 = 2 * rowStride, r3 = 3 * rowStride, r4 = 4 * rowStride;
        nint r5 = 5 * rowStride, r6 = 6 * rowStride, r7 = 7 * rowStride;
        TVector c00 = TOps.Zero, c01 = TOps.Zero, c10 = TOps.Zero, c11 = TOps.Zero, c20 = TOps.Zero, c21 = TOps.Zero;
        TVector c30 = TOps.Zero, c31 = TOps.Zero, c40 = TOps.Zero, c41 = TOps.Zero, c50 = TOps.Zero, c51 = TOps.Zero;
        TVector c60 = TOps.Zero, c61 = TOps.Zero, c70 = TOps.Zero, c71 = TOps.Zero;
        for (int p = 0; p < kc; p++)
        {
            var b0 = TOps.Load(b);
            var b1 = TOps.Load(b + w);
            var x = TOps.Broadcast(a[0]);
            c00 = TOps.MultiplyAdd(x, b0, c00);
            c01 = TOps.MultiplyAdd(x, b1, c01);
            x = TOps.Broadcast(a[r1]);
            c10 = TOps.MultiplyAdd(x, b0, c10);
            c11 = TOps.MultiplyAdd(x, b1, c11);
            x = TOps.Broadcast(a[r2]);
            c20 = TOps.MultiplyAdd(x, b0, c20);
            c21 = TOps.MultiplyAdd(x, b1, c21);
            x = TOps.Broadcast(a[r3]);
            c30 = TOps.MultiplyAdd(x, b0, c30);
            c31 = TOps.MultiplyAdd(x, b1, c31);
            x = TOps.Broadcast(a[r4]);
            c40 = TOps.MultiplyAdd(x, b0, c40);
            c41 = TOps.MultiplyAdd(x, b1, c41);
            x = TOps.Broadcast(a[r5]);
            c50 = TOps.MultiplyAdd(x, b0, c50);
            c51 = TOps.MultiplyAdd(x, b1, c51);
            if (TOps.Rows == 8)
            {
                x = TOps.Broadcast(a[r6]);
                c60 = TOps.MultiplyAdd(x, b0, c60);
                c61 = TOps.MultiplyAdd(x, b1, c61);
                x = TOps.Broadcast(a[r7]);
                c70 = TOps.MultiplyAdd(x, b0, c70);
                c71 = TOps.MultiplyAdd(x, b1, c71);
            }

            a += kStride;
            b += 2 * w;
        }

        TOps.Accumulate(c, c00, c01, overwrite, rectify);
        TOps.Accumulate(c + ldc, c10, c11, overwrite, rectify);
        TOps.Accumulate(c + (2 * ldc), c20, c21, overwrite, rectify);
        TOps.Accumulate(c + (3 * ldc), c30, c31, overwrite, rectify);
        TOps.Accumulate(c + (4 * ldc), c40, c41, overwrite, rectify);
        TOps.Accumulate(c + (5 * ldc), c50, c51, overwrite, rectify);
        if (TOps.Rows == 8)
        {
            TOps.Accumulate(c + (6 * ldc), c60, c61, overwrite, rectify);
            TOps.Accumulate(c + (7 * ldc), c70, c71, overwrite, rectify);
        }
    }

    /// <summary>
    /// The micro-kernel for a panel one vector wide: an MR×W tile in MR registers, for C narrower than a vector
    /// and the last panel of a wider one. A is addressed as in <see cref="MicroKernel"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void NarrowKernel<T, TVector, TOps>(T* a, nint rowStride, nint kStride, T* b, int kc, T* c, int ldc, bool overwrite, bool rectify)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TVector : struct
        where TOps : struct, IVectorOps<T, TVector>
    {
        int w = TOps.Width;
        nint r1 = rowStride, r2 = 2 * rowStride, r3 = 3 * rowStride, r4 = 4 * rowStride;
        nint r5 = 5 * rowStride, r6 = 6 * rowStride, r7 = 7 * rowStride;
        TVector c0 = TOps.Zero, c1 = TOps.Zero, c2 = TOps.Zero, c3 = TOps.Zero;
        TVector c4 = TOps.Zero, c5 = TOps.Zero, c6 = TOps.Zero, c7 = TOps.Zero;
        for (int p = 0; p < kc; p++)
        {
            var b0 = TOps.Load(b);
            c0 = TOps.MultiplyAdd(TOps.Broadcast(a[0]), b0, c0);
            c1 = TOps.MultiplyAdd(TOps.Broadcast(a[r1]), b0, c1);
            c2 = TOps.MultiplyAdd(TOps.Broadcast(a[r2]), b0, c2);
            c3 = TOps.MultiplyAdd(TOps.Broadcast(a[r3]), b0, c3);
            c4 = TOps.MultiplyAdd(TOps.Broadcast(a[r4]), b0, c4);
            c5 = TOps.MultiplyAdd(TOps.Broadcast(a[r5]), b0, c5);
            if (TOps.Rows == 8)
            {
                c6 = TOps.MultiplyAdd(TOps.Broadcast(a[r6]), b0, c6);
                c7 = TOps.MultiplyAdd(TOps.Broadcast(a[r7]), b0, c7);
            }

            a += kStride;
            b += w;
        }

        TOps.Accumulate(c, c0, overwrite, rectify);
        TOps.Accumulate(c + ldc, c1, overwrite, rectify);
        TOps.Accumulate(c + (2 * ldc), c2, overwrite, rectify);
        TOps.Accumulate(c + (3 * ldc), c3, overwrite, rectify);
        TOps.Accumulate(c + (4 * ldc), c4, overwrite, rectify);
        TOps.Accumulate(c + (5 * ldc), c5, overwrite, rectify);
        if (TOps.Rows == 8)
        {
            TOps.Accumulate(c + (6 * ldc), c6, overwrite, rectify);
            TOps.Accumulate(c + (7 * ldc), c7, overwrite, rectify);
        }
    }

    /// <summary>Packs op(A)[ic.., pc..] into <paramref name="mr"/>-row panels: for each p, mr consecutive values (zero-padded).</summary>
    private static void PackA<T>(Operands<T> o, T* destination, int ic, int mc, int pc, int kc, int mr)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int ir = 0; ir < mc; ir += mr)
        {
            int row = ic + ir;
            T* source = o.TransposeA ? o.AData + ((long)pc * o.Lda) + row : o.AData + ((long)row * o.Lda) + pc;
            PackPanel(source, o.Lda, alongK: !o.TransposeA, Math.Min(mr, mc - ir), kc, mr, destination + (ir * kc));
        }
    }

    /// <summary>
    /// Packs the panels firstColumn..lastColumn (offsets from jc, whole panels) of op(B)[pc.., jc..jc+nc] into NR-column
    /// panels: for each p, NR consecutive values (zero-padded). A last panel that fits in one vector is packed one vector
    /// wide, for <see cref="NarrowKernel"/>.
    /// </summary>
    private static void PackB<T>(Operands<T> o, T* destination, int pc, int kc, int jc, int firstColumn, int lastColumn, int nc, int nr)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int jr = firstColumn; jr < lastColumn; jr += nr)
        {
            int column = jc + jr;
            int cols = Math.Min(nr, nc - jr);
            T* source = o.TransposeB ? o.BData + ((long)column * o.Ldb) + pc : o.BData + ((long)pc * o.Ldb) + column;
            PackPanel(source, o.Ldb, alongK: o.TransposeB, cols, kc, PanelWidth(cols, nr / 2), destination + (jr * kc));
        }
    }

    /// <summary>
    /// Writes a kc × <paramref name="width"/> panel: element (p, l) to panel[p·width + l], zero for l ≥ lines.
    /// The source runs along k (line l at source + l·ld) or along the panel (step p at source + p·ld); either way
    /// the inner loop reads the source contiguously. Along k (B stored [n,k], every Dense layer's x·Wᵀ), whole groups
    /// of 8 float or 4 double lines are transposed in AVX registers, 3–6× faster than the scalar strided loop the
    /// leftover lines (and machines without AVX) use.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackPanel<T>(T* source, int ld, bool alongK, int lines, int kc, int width, T* panel)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (!alongK && lines == width && width % Vector256<T>.Count == 0)
        {
            // A full panel, the common case: whole vectors rather than a copy call and a clear per step.
            for (int p = 0; p < kc; p++)
            {
                T* from = source + ((long)p * ld), to = panel + (p * width);
                for (int v = 0; v < width; v += Vector256<T>.Count)
                {
                    Vector256.Store(Vector256.Load(from + v), to + v);
                }
            }

            return;
        }

        if (!alongK)
        {
            for (int p = 0; p < kc; p++)
            {
                T* slot = panel + (p * width);
                new ReadOnlySpan<T>(source + ((long)p * ld), lines).CopyTo(new Span<T>(slot, lines));
                new Span<T>(slot + lines, width - lines).Clear();
            }

            return;
        }

        if (lines < width)
        {
            new Span<T>(panel, kc * width).Clear();
        }

        // Whole groups of lines through in-register transposes (8×8 float, 4×4 double), the rest one value at a time.
        int l = 0;
        if (Avx.IsSupported && typeof(T) == typeof(float))
        {
            for (; l + 8 <= lines; l += 8)
            {
                TransposeLines8((float*)source + ((long)l * ld), ld, kc, width, (float*)panel + l);
            }
        }
        else if (Avx.IsSupported && typeof(T) == typeof(double))
        {
            for (; l + 4 <= lines; l += 4)
            {
                TransposeLines4((double*)source + ((long)l * ld), ld, kc, width, (double*)panel + l);
            }
        }

        for (; l < lines; l++)
        {
            T* line = source + ((long)l * ld);
            T* slot = panel + l;
            for (int p = 0; p < kc; p++)
            {
                slot[p * width] = line[p];
            }
        }
    }

    /// <summary>
    /// Eight float lines along k (line i at source + i·ld) into panel columns 0..7: each 8×8 block is transposed in
    /// registers, so step p's eight values are one store at panel + p·width.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransposeLines8(float* source, int ld, int kc, int width, float* panel)
    {
        float* s0 = source, s1 = s0 + ld, s2 = s1 + ld, s3 = s2 + ld, s4 = s3 + ld, s5 = s4 + ld, s6 = s5 + ld, s7 = s6 + ld;
        int p = 0;
        for (; p + 8 <= kc; p += 8)
        {
            var t0 = Avx.UnpackLow(Avx.LoadVector256(s0 + p), Avx.LoadVector256(s1 + p));
            var t1 = Avx.UnpackHigh(Avx.LoadVector256(s0 + p), Avx.LoadVector256(s1 + p));
            var t2 = Avx.UnpackLow(Avx.LoadVector256(s2 + p), Avx.LoadVector256(s3 + p));
            var t3 = Avx.UnpackHigh(Avx.LoadVector256(s2 + p), Avx.LoadVector256(s3 + p));
            var t4 = Avx.UnpackLow(Avx.LoadVector256(s4 + p), Avx.LoadVector256(s5 + p));
            var t5 = Avx.UnpackHigh(Avx.LoadVector256(s4 + p), Avx.LoadVector256(s5 + p));
            var t6 = Avx.UnpackLow(Avx.LoadVector256(s6 + p), Avx.LoadVector256(s7 + p));
            var t7 = Avx.UnpackHigh(Avx.LoadVector256(s6 + p), Avx.LoadVector256(s7 + p));
            var u0 = Avx.Shuffle(t0, t2, 0x44);
            var u1 = Avx.Shuffle(t0, t2, 0xEE);
            var u2 = Avx.Shuffle(t1, t3, 0x44);
            var u3 = Avx.Shuffle(t1, t3, 0xEE);
            var u4 = Avx.Shuffle(t4, t6, 0x44);
            var u5 = Avx.Shuffle(t4, t6, 0xEE);
            var u6 = Avx.Shuffle(t5, t7, 0x44);
            var u7 = Avx.Shuffle(t5, t7, 0xEE);
            float* d = panel + (p * width);
            Avx.Store(d, Avx.Permute2x128(u0, u4, 0x20));
            Avx.Store(d + width, Avx.Permute2x128(u1, u5, 0x20));
            Avx.Store(d + (2 * width), Avx.Permute2x128(u2, u6, 0x20));
            Avx.Store(d + (3 * width), Avx.Permute2x128(u3, u7, 0x20));
            Avx.Store(d + (4 * width), Avx.Permute2x128(u0, u4, 0x31));
            Avx.Store(d + (5 * width), Avx.Permute2x128(u1, u5, 0x31));
            Avx.Store(d + (6 * width), Avx.Permute2x128(u2, u6, 0x31));
            Avx.Store(d + (7 * width), Avx.Permute2x128(u3, u7, 0x31));
        }

        for (; p < kc; p++)
        {
            float* d = panel + (p * width);
            d[0] = s0[p];
            d[1] = s1[p];
            d[2] = s2[p];
            d[3] = s3[p];
            d[4] = s4[p];
            d[5] = s5[p];
            d[6] = s6[p];
            d[7] = s7[p];
        }
    }

    /// <summary>Four double lines along k into panel columns 0..3, through 4×4 in-register transposes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransposeLines4(double* source, int ld, int kc, int width, double* panel)
    {
        double* s0 = source, s1 = s0 + ld, s2 = s1 + ld, s3 = s2 + ld;
        int p = 0;
        for (; p + 4 <= kc; p += 4)
        {
            var r0 = Avx.LoadVector256(s0 + p);
            var r1 = Avx.LoadVector256(s1 + p);
            var r2 = Avx.LoadVector256(s2 + p);
            var r3 = Avx.LoadVector256(s3 + p);
            var t0 = Avx.UnpackLow(r0, r1);
            var t1 = Avx.UnpackHigh(r0, r1);
            var t2 = Avx.UnpackLow(r2, r3);
            var t3 = Avx.UnpackHigh(r2, r3);
            double* d = panel + (p * width);
            Avx.Store(d, Avx.Permute2x128(t0, t2, 0x20));
            Avx.Store(d + width, Avx.Permute2x128(t1, t3, 0x20));
            Avx.Store(d + (2 * width), Avx.Permute2x128(t0, t2, 0x31));
            Avx.Store(d + (3 * width), Avx.Permute2x128(t1, t3, 0x31));
        }

        for (; p < kc; p++)
        {
            double* d = panel + (p * width);
            d[0] = s0[p];
            d[1] = s1[p];
            d[2] = s2[p];
            d[3] = s3[p];
        }
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>
    /// The operands of one product, with their leading dimensions.
    /// </summary>
    private readonly struct Operands<T>(T* a, bool transposeA, int lda, T* b, bool transposeB, int ldb, T* c, int ldc, int m, int n, int k, bool overwrite, bool rectify)
        where T : unmanaged
    {
        /// <summary>C = op(A)·op(B) rather than C += op(A)·op(B): C's prior contents are never read.</summary>
        public readonly bool Overwrite = overwrite;

        /// <summary>C ends as max(·, 0) of the result: the ReLU of a fused linear layer, applied as each tile is stored.</summary>
        public readonly bool Rectify = rectify;

        public readonly T* AData = a;
        public readonly T* BData = b;
        public readonly T* C = c;
        public readonly bool TransposeA = transposeA;
        public readonly bool TransposeB = transposeB;
        public readonly int Lda = lda;
        public readonly int Ldb = ldb;
        public readonly int Ldc = ldc;
        public readonly int M = m;
        public readonly int N = n;
        public readonly int K = k;
    }
}
