using System.Numerics;

namespace NeuralNet;

internal static unsafe partial class Gemm
{
    /// <summary>
    /// One product on several threads, block by block: the threads pack the block of B together, once, into one shared
    /// buffer (a range of panels each), then run its tiles in ranges of rows of C, or of columns when C has fewer row
    /// tiles than panels. Every tile is computed by the same code in the same order as on one thread, so the result is
    /// bit-identical to it.
    /// </summary>
    private sealed class ParallelProduct<T, TVector, TOps>(Operands<T> o, T* packedB, int threads) : ForkJoinBody
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TVector : struct
        where TOps : struct, IVectorOps<T, TVector>
    {
        private int _jc, _nc, _pc, _kc, _parts;
        private bool _packing, _byRows;

        /// <summary>Packs and multiplies the block of columns jc..jc+nc and k slice pc..pc+kc.</summary>
        public void Block(int jc, int nc, int pc, int kc)
        {
            (_jc, _nc, _pc, _kc) = (jc, nc, pc, kc);
            int panels = Panels(nc);
            int rowTiles = (o.M + TOps.Rows - 1) / TOps.Rows;
            _packing = true;
            _parts = Math.Min(threads, panels);
            ForkJoin.For(_parts, this);

            // Threads packing each their own rows of A share the whole of B; with fewer row tiles than panels, split B.
            _packing = false;
            _byRows = rowTiles >= panels;
            _parts = Math.Min(threads, _byRows ? rowTiles : panels);
            ForkJoin.For(_parts, this);
        }

        /// <summary>Packs a range of the block's panels, or runs a range of its rows or columns.</summary>
        public override void Invoke(int part)
        {
            int nr = 2 * TOps.Width, mr = TOps.Rows;
            if (_packing || !_byRows)
            {
                int panels = Panels(_nc);
                int first = Share(panels, part) * nr, last = Math.Min(Share(panels, part + 1) * nr, _nc);
                if (_packing)
                {
                    PackB(o, packedB, _pc, _kc, _jc, first, last, _nc, nr);
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
