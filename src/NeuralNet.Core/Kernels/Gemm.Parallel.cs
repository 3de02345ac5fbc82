using System.Numerics;

namespace NeuralNet;

internal static unsafe partial class Gemm
{
    /// <summary>
    /// One product on several threads, block by block of B, so that no thread packs what another packs too. When A is
    /// read in place, the threads take ranges of the block's panels: each packs its own panels and runs every row of C
    /// against them, in one fork-join. When A is packed (see <see cref="ShouldPackA"/>), splitting by columns would
    /// pack A once per thread, so the threads first pack the block of B together into one shared buffer, then run ranges
    /// of rows against all of it (two fork-joins); a C with fewer row tiles than panels is still split by columns. Every
    /// tile is computed by the same code in the same order as on one thread, so the result is bit-identical to it.
    /// </summary>
    /// <remarks>One object per thread and type, set up for each product (<see cref="For"/>), so that a parallel product
    /// allocates nothing; a product never starts another on its thread, so one is enough.</remarks>
    private sealed class ParallelProduct<T, TVector, TOps> : ForkJoinBody
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TVector : struct
        where TOps : struct, IVectorOps<T, TVector>
    {
        [ThreadStatic]
        private static ParallelProduct<T, TVector, TOps>? t_product;

        private Operands<T> o;
        private T* packedB;
        private int threads;

        /// <summary>
        /// Parts per thread: a core can be taken away for a while (another process, the collector's background thread),
        /// and with several parts each the other threads take over the rest of its share. By columns a part costs no extra
        /// traffic (each panel meets every row tile of A once, whoever runs it); by rows, a part shorter than a row block
        /// reads the shared B from cache once more.
        /// </summary>
        private const int PartsPerThread = 4;

        private bool _byRows;

        private int _jc, _nc, _pc, _kc, _parts;
        private bool _packing;

        /// <summary>This thread's product object, set up for the product of <paramref name="operands"/> on
        /// <paramref name="threadCount"/> threads with <paramref name="packed"/> as the packed B buffer.</summary>
        public static ParallelProduct<T, TVector, TOps> For(Operands<T> operands, T* packed, int threadCount)
        {
            ParallelProduct<T, TVector, TOps> product = t_product ??= new ParallelProduct<T, TVector, TOps>();
            product.o = operands;
            product.packedB = packed;
            product.threads = threadCount;
            product._byRows = ShouldPackA<T>(operands.N, 2 * TOps.Width, operands.Lda)
                && (operands.M + TOps.Rows - 1) / TOps.Rows >= Panels(Math.Min(NC, operands.N));
            return product;
        }

        /// <summary>Forgets the product's buffers once it is done.</summary>
        public void Clear()
        {
            o = default;
            packedB = null;
        }

        /// <summary>Packs and multiplies the block of columns jc..jc+nc and k slice pc..pc+kc.</summary>
        public void Block(int jc, int nc, int pc, int kc)
        {
            (_jc, _nc, _pc, _kc) = (jc, nc, pc, kc);
            int panels = Panels(nc);
            _packing = _byRows;
            _parts = Math.Min(threads * PartsPerThread, panels);
            ForkJoin.For(_parts, threads, this);
            if (_byRows)
            {
                _packing = false;
                _parts = Math.Min(threads * PartsPerThread, (o.M + TOps.Rows - 1) / TOps.Rows);
                ForkJoin.For(_parts, threads, this);
            }
        }

        /// <summary>Packs a range of the block's panels (shared B), runs a range of its rows against all of it, or packs
        /// and runs a range of its panels.</summary>
        public override void Invoke(int part)
        {
            int nr = 2 * TOps.Width, mr = TOps.Rows;
            if (_packing || !_byRows)
            {
                int panels = Panels(_nc);
                int first = Share(panels, part) * nr, last = Math.Min(Share(panels, part + 1) * nr, _nc);
                PackB(o, packedB, _pc, _kc, _jc, first, last, _nc, nr);
                if (_packing)
                {
                    return;
                }

                for (int ic = 0; ic < o.M; ic += RowsPerBlock(mr))
                {
                    RowBlock<T, TVector, TOps>(o, packedB, ic, Math.Min(RowsPerBlock(mr), o.M - ic), _pc, _kc, _jc, first, last, _nc);
                }

                return;
            }

            int rowTiles = (o.M + mr - 1) / mr;
            int firstRow = Share(rowTiles, part) * mr, lastRow = Math.Min(Share(rowTiles, part + 1) * mr, o.M);
            for (int ic = firstRow; ic < lastRow; ic += RowsPerBlock(mr))
            {
                RowBlock<T, TVector, TOps>(o, packedB, ic, Math.Min(RowsPerBlock(mr), lastRow - ic), _pc, _kc, _jc, 0, _nc, _nc);
            }
        }

        private static int Panels(int nc) => (nc + (2 * TOps.Width) - 1) / (2 * TOps.Width);

        /// <summary>Where part <paramref name="part"/>'s share of <paramref name="units"/> starts: equal shares, in whole units.</summary>
        private int Share(int units, int part) => (int)((long)units * part / _parts);
    }
}
