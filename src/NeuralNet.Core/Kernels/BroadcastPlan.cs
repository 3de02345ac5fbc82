using System.Runtime.CompilerServices;
namespace NeuralNet;

/// <summary>
/// How two operands map onto a broadcast result, row by row: the result is walked as contiguous rows of the
/// innermost (coalesced) axis, and each operand either runs along a row (stride 1) or repeats one value
/// (stride 0). Adjacent axes that are contiguous, or broadcast, in both operands are merged first, so rows are
/// as long as the layout allows.
/// </summary>
internal sealed class BroadcastPlan
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public BroadcastPlan(Shape x, Shape y, Shape result)
    {
        int rank = result.Rank;
        int[] dims = result.ToArray();
        int[] xs = BroadcastStrides(x, result);
        int[] ys = BroadcastStrides(y, result);

        // Coalesce: merge axis i into i+1 whenever both operands step through them as one axis.
        var cd = new List<int>();
        var cx = new List<int>();
        var cy = new List<int>();
        for (int i = 0; i < rank; i++)
        {
            if (dims[i] == 1)
            {
                continue;
            }

            int last = cd.Count - 1;
            if (last >= 0 && cx[last] == xs[i] * dims[i] && cy[last] == ys[i] * dims[i])
            {
                cd[last] *= dims[i];
                cx[last] = xs[i];
                cy[last] = ys[i];
            }
            else
            {
                cd.Add(dims[i]);
                cx.Add(xs[i]);
                cy.Add(ys[i]);
            }
        }

        if (cd.Count == 0)
        {
            cd.Add(1);
            cx.Add(0);
            cy.Add(0);
        }

        int inner = cd.Count - 1;
        RowLength = cd[inner];
        XInnerStride = cx[inner];
        YInnerStride = cy[inner];
        Rows = result.Size / Math.Max(RowLength, 1);
        XOffsets = new int[Rows];
        YOffsets = new int[Rows];

        // Odometer over the outer axes.
        var index = new int[inner];
        int xo = 0, yo = 0;
        for (int row = 0; row < Rows; row++)
        {
            XOffsets[row] = xo;
            YOffsets[row] = yo;
            for (int axis = inner - 1; axis >= 0; axis--)
            {
                index[axis]++;
                xo += cx[axis];
                yo += cy[axis];
                if (index[axis] < cd[axis])
                {
                    break;
                }

                xo -= cx[axis] * cd[axis];
                yo -= cy[axis] * cd[axis];
                index[axis] = 0;
            }
        }
    }

    /// <summary>Elements per row (the coalesced innermost axis).</summary>
    public int RowLength { get; }

    /// <summary>Number of rows; the result is Rows × RowLength, contiguous.</summary>
    public int Rows { get; }

    /// <summary>1 when x runs along a row, 0 when it repeats one value.</summary>
    public int XInnerStride { get; }

    /// <summary>1 when y runs along a row, 0 when it repeats one value.</summary>
    public int YInnerStride { get; }

    /// <summary>x's offset at the start of each row.</summary>
    public int[] XOffsets { get; }

    /// <summary>y's offset at the start of each row.</summary>
    public int[] YOffsets { get; }

    /// <summary>x's strides in the result's axes: 0 along axes it is broadcast over.</summary>
    private static int[] BroadcastStrides(Shape x, Shape result)
    {
        int rank = result.Rank;
        int[] own = x.Strides();
        var strides = new int[rank];
        int offset = rank - x.Rank;
        for (int i = offset; i < rank; i++)
        {
            strides[i] = x.Dimensions[i - offset] == 1 ? 0 : own[i - offset];
        }

        return strides;
    }
}
