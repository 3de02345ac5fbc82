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
    ];
}
