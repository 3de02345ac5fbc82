namespace NeuralNet.Tests.OpTable;

using NeuralNet;

public static partial class OpCatalog
{
    /// <summary>Ops that change shape or layout.</summary>
    private static OpSpec[] ShapeOps() =>
    [
        new("Reshape", ["Reshape"], 1, x => x[0].Reshape(3, 2), Domains.Real,
        [
            new("[2,3] to [3,2]", [[2, 3]]),
            new("[2,3,4] to [-1,4]", [[2, 3, 4]], x => x[0].Reshape(-1, 4)),
            new("[6] to [1,-1,3]", [[6]], x => x[0].Reshape(1, -1, 3)),
            new("[2,3] to Shape [6]", [[2, 3]], x => x[0].Reshape(new Shape(6))),
            new("[2,3] to itself", [[2, 3]], x => x[0].Reshape(2, 3)),
            new("[] to [1,1]", [[]], x => x[0].Reshape(1, 1)),
            new("[1,1] to []", [[1, 1]], x => x[0].Reshape(Shape.ScalarShape)),
        ]),

        new("Transpose", ["Transpose"], 1, x => x[0].Transpose(), Domains.Real,
            [new("[2,3]", [[2, 3]]), new("[1,4]", [[1, 4]]), new("[3,3]", [[3, 3]])]),

        new("Permute", ["Permute"], 1, x => x[0].Permute(2, 0, 1), Domains.Real,
        [
            new("[2,3,4] (2,0,1)", [[2, 3, 4]]),
            new("[2,3,4] (1,0,2)", [[2, 3, 4]], x => x[0].Permute(1, 0, 2)),
            new("[2,3,4] (-1,0,1)", [[2, 3, 4]], x => x[0].Permute(-1, 0, 1)),
            new("[2,1,3] (0,2,1)", [[2, 1, 3]], x => x[0].Permute(0, 2, 1)),
            new("[2,3,4] identity", [[2, 3, 4]], x => x[0].Permute(0, 1, 2)),
            new("[2,3] (1,0)", [[2, 3]], x => x[0].Permute(1, 0)),
        ]),

        new("BroadcastTo", ["BroadcastTo"], 1, x => x[0].BroadcastTo([2, 3]), Domains.Real,
        [
            new("[3] to [2,3]", [[3]]),
            new("[2,1,3] to [4,2,5,3]", [[2, 1, 3]], x => x[0].BroadcastTo([4, 2, 5, 3])),
            new("[] to [2,2]", [[]], x => x[0].BroadcastTo([2, 2])),
            new("[1,1] to [3,1,4]", [[1, 1]], x => x[0].BroadcastTo([3, 1, 4])),
            new("[2,3] to itself", [[2, 3]]),
        ]),

        new("SumTo", ["SumTo"], 1, x => x[0].SumTo([3]), Domains.Real,
        [
            new("[2,3] to [3]", [[2, 3]]),
            new("[2,3] to [1,3]", [[2, 3]], x => x[0].SumTo([1, 3])),
            new("[4,2,3] to [2,1]", [[4, 2, 3]], x => x[0].SumTo([2, 1])),
            new("[2,3] to []", [[2, 3]], x => x[0].SumTo(Shape.ScalarShape)),
            new("[2,1,3] to [1,1]", [[2, 1, 3]], x => x[0].SumTo([1, 1])),
            new("[2,3] to itself", [[2, 3]], x => x[0].SumTo([2, 3])),
        ]),

        new("Squeeze", ["Squeeze"], 1, x => x[0].Squeeze(), Domains.Real,
        [
            new("all size-1 axes [2,1,3,1]", [[2, 1, 3, 1]]),
            new("axis 1 [2,1,3]", [[2, 1, 3]], x => x[0].Squeeze(1)),
            new("axes (-1,0) [1,3,1]", [[1, 3, 1]], x => x[0].Squeeze(-1, 0)),
            new("[1,1] to []", [[1, 1]]),
            new("no size-1 axes [2,3]", [[2, 3]]),
        ]),

        new("Unsqueeze", ["Unsqueeze"], 1, x => x[0].Unsqueeze(0), Domains.Real,
        [
            new("axis 0 [2,3]", [[2, 3]]),
            new("axis -1 [2,3]", [[2, 3]], x => x[0].Unsqueeze(-1)),
            new("axis 2 (end) [2,3]", [[2, 3]], x => x[0].Unsqueeze(2)),
            new("axis 1 [3]", [[3]], x => x[0].Unsqueeze(1)),
            new("scalar to [1]", [[]]),
        ]),

        new("Slice", ["Slice"], 1, x => x[0].Slice(1, 1, 2), Domains.Real,
        [
            new("axis 1, 1..2 of [2,4,3]", [[2, 4, 3]]),
            new("axis 0, 0..1 of [5]", [[5]], x => x[0].Slice(0, 0, 2)),
            new("axis -1, start -2 of [2,4,3]", [[2, 4, 3]], x => x[0].Slice(-1, -2, 2)),
            new("last row of [4,2]", [[4, 2]], x => x[0].Slice(0, 3, 1)),
            new("size-1 axis whole of [3,1]", [[3, 1]], x => x[0].Slice(1, 0, 1)),
            new("axis 2, one position of [2,3,4]", [[2, 3, 4]], x => x[0].Slice(2, 1, 1)),
        ]),

        // Slice's VJP: internal, so it has no public name to cover, but its own rules are checked here.
        new("Pad (internal)", [], 1, x => x[0].Pad(1, 1, 4), Domains.Real,
        [
            new("[2,2,3] into axis 1 of size 4 at 1", [[2, 2, 3]]),
            new("[2] into [5] at 0", [[2]], x => x[0].Pad(0, 0, 5)),
            new("[2] into [5] at the end", [[2]], x => x[0].Pad(-1, 3, 5)),
            new("[3,1] into [3,3] at 2", [[3, 1]], x => x[0].Pad(1, 2, 3)),
        ]),

        // The indexer: one strided-box op (its VJP writes into zeros, itself checked by the second-order rows) and a reshape.
        new("Index", ["get_Index"], 1, x => x[0][.., 1..3], Domains.Real,
        [
            new("[.., 1..3] of [2,4]", [[2, 4]]),
            new("row 0 of [3,4]", [[3, 4]], x => x[0][0]),
            new("last row, ^1 of [3,4]", [[3, 4]], x => x[0][^1]),
            new("element [1, -1] of [2,3], a scalar", [[2, 3]], x => x[0][1, -1]),
            new("every 2nd of [5]", [[5]], x => x[0][TensorIndex.Slice(null, null, 2)]),
            new("[1.., .., 1:5:3] of [3,2,5]", [[3, 2, 5]], x => x[0][1.., .., TensorIndex.Slice(1, 5, 3)]),
            new("[..., ^2] of [2,3,4]", [[2, 3, 4]], x => x[0][TensorIndex.Ellipsis, ^2]),
            new("[NewAxis, .., NewAxis] of [3]", [[3]], x => x[0][TensorIndex.NewAxis, .., TensorIndex.NewAxis]),
            new("clamped 1..10 of [4]", [[4]], x => x[0][1..10]),
            new("[0, NewAxis, ...] of [2,3]", [[2, 3]], x => x[0][0, TensorIndex.NewAxis, TensorIndex.Ellipsis]),
        ]),

        new("Gather", ["Gather"], 1, x => x[0].Gather([2, 0, 2]), Domains.Real,
        [
            new("rows (2,0,2) of [3,4], repeated", [[3, 4]]),
            new("(4,-1,0) of [5], repeated via a negative index", [[5]], x => x[0].Gather([4, -1, 0])),
            new("axis 1 (1,1) of [2,3,4]", [[2, 3, 4]], x => x[0].Gather([1, 1], axis: 1)),
            new("axis -1 (3,0) of [2,3,4]", [[2, 3, 4]], x => x[0].Gather([3, 0], axis: -1)),
            new("size-1 axis (0,0,0) of [1,3]", [[1, 3]], x => x[0].Gather([0, 0, 0])),
            new("permutation (3,1,0,2) of [4,2]", [[4, 2]], x => x[0].Gather([3, 1, 0, 2])),
        ]),

        // Gather's VJP: internal, like Pad.
        new("ScatterAdd (internal)", [], 1, x => x[0].ScatterAdd([2, 0, 2], 0, 3), Domains.Real,
        [
            new("(2,0,2) into [3,4], repeated", [[3, 4]]),
            new("axis 1 (1,1) into [2,3,4]", [[2, 2, 4]], x => x[0].ScatterAdd([1, 1], 1, 3)),
            new("axis -1 (3,0) into [2,3,4]", [[2, 3, 2]], x => x[0].ScatterAdd([3, 0], -1, 4)),
            new("[1] into [4] at 2", [[1]], x => x[0].ScatterAdd([2], 0, 4)),
        ]),

        new("Concatenate", ["Concatenate"], 2, x => Tensor.Concatenate([x[0], x[1]]), Domains.Real,
        [
            new("[2,3] and [1,3] on axis 0", [[2, 3], [1, 3]]),
            new("[2,3] and [2,1] on axis 1", [[2, 3], [2, 1]], x => Tensor.Concatenate(x, 1)),
            new("[2,1,3], [2,2,3] and [2,1,3] on axis -2", [[2, 1, 3], [2, 2, 3], [2, 1, 3]], x => Tensor.Concatenate(x, -2)),
            new("[3] and [2]", [[3], [2]]),
            new("one tensor [2,3]", [[2, 3]], x => Tensor.Concatenate(x)),
            new("one input twice, [2,2] on axis 1", [[2, 2]], x => Tensor.Concatenate([x[0], x[0]], 1)),
        ]),

        new("Stack", ["Stack"], 2, x => Tensor.Stack([x[0], x[1]]), Domains.Real,
        [
            new("[2,3] and [2,3] on axis 0", [[2, 3], [2, 3]]),
            new("[2,3] and [2,3] on axis -1", [[2, 3], [2, 3]], x => Tensor.Stack(x, -1)),
            new("three [3] on axis 1", [[3], [3], [3]], x => Tensor.Stack(x, 1)),
            new("scalars", [[], []]),
            new("one tensor [2,1] on axis 1", [[2, 1]], x => Tensor.Stack(x, 1)),
        ]),
    ];
}
