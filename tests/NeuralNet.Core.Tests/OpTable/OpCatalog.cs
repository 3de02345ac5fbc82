namespace NeuralNet.Tests.OpTable;

using NeuralNet;

/// <summary>
/// The op table: one row per public op, each with several shapes, including broadcasting, size-1 axes and
/// scalars. <see cref="OpTableTests"/> checks every (row, case) in Float64; <see cref="OpCompletenessTests"/>
/// fails when a public op has no row here.
/// </summary>
public static class OpCatalog
{
    /// <summary>Every row.</summary>
    public static readonly OpSpec[] All =
    [
        Binary("Add", ["Add", "op_Addition"], Tensor.Add, (a, b) => a + b, (a, s) => a + s, (s, a) => s + a, Domains.Real),
        Binary("Subtract", ["Subtract", "op_Subtraction"], Tensor.Subtract, (a, b) => a - b, (a, s) => a - s, (s, a) => s - a, Domains.Real),
        Binary("Multiply", ["Multiply", "op_Multiply"], Tensor.Multiply, (a, b) => a * b, (a, s) => a * s, (s, a) => s * a, Domains.Real),

        // Both operands away from 0: the denominator must be, and the scalar-left variant divides by input 0.
        Binary("Divide", ["Divide", "op_Division"], Tensor.Divide, (a, b) => a / b, (a, s) => a / s, (s, a) => s / a, Domains.NonZero),

        new("Negate", ["Negate", "op_UnaryNegation"], 1, x => x[0].Negate(), Domains.Real,
            [.. UnaryShapes(), new("operator -x [2,3]", [[2, 3]], x => -x[0])]),

        Unary("Exp", x => x.Exp(), Domains.Real),
        Unary("Log", x => x.Log(), Domains.Positive),
        Unary("Sqrt", x => x.Sqrt(), Domains.Positive),
        Unary("Square", x => x.Square(), Domains.Real),
        Unary("Sin", x => x.Sin(), Domains.Real),
        Unary("Cos", x => x.Cos(), Domains.Real),

        // Positive bases, so fractional and negative exponents are defined and smooth; integer exponents also
        // take negative bases (and negative integers any base away from 0).
        new("Pow", ["Pow"], 1, x => x[0].Pow(2.5), Domains.Positive,
        [
            .. UnaryShapes(),
            new("p=3 [2,3]", [[2, 3]], x => x[0].Pow(3)),
            new("p=-1.5 [2,3]", [[2, 3]], x => x[0].Pow(-1.5)),
            new("p=0.5 [4]", [[4]], x => x[0].Pow(0.5)),
            new("p=1 [4]", [[4]], x => x[0].Pow(1)),
            new("p=0 [4]", [[4]], x => x[0].Pow(0)),
            new("p=3, negative bases too [2,3]", [[2, 3]], x => x[0].Pow(3), Domains.Real),
            new("p=2, negative bases too [4]", [[4]], x => x[0].Pow(2), Domains.Real),
            new("p=-2, negative bases too [4]", [[4]], x => x[0].Pow(-2), Domains.NonZero),
        ]),

        Reduction("Sum", (x, axes, keep) => x.Sum(axes, keep), (x, axis, keep) => x.Sum(axis, keep)),
        Reduction("Mean", (x, axes, keep) => x.Mean(axes, keep), (x, axis, keep) => x.Mean(axis, keep)),

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

        new("MatMul", ["MatMul"], 2, x => x[0].MatMul(x[1]), Domains.Real,
        [
            new("[2,3] x [3,4]", [[2, 3], [3, 4]]),
            new("[1,3] x [3,1]", [[1, 3], [3, 1]]),
            new("[3,1] x [1,3]", [[3, 1], [1, 3]]),
            new("[1,1] x [1,1]", [[1, 1], [1, 1]]),
            new("[4,2] x [2,2]", [[4, 2], [2, 2]]),
        ]),
    ];

    /// <summary>The row with this name.</summary>
    public static OpSpec Row(string name) => All.Single(r => r.Name == name);

    /// <summary>Every (row, case) by name, for xunit's MemberData (strings keep each case a separate test).</summary>
    public static IEnumerable<object[]> Cases(int minOrder = 1) =>
        All.Where(row => row.Order >= minOrder).SelectMany(row => row.Cases.Select(c => new object[] { row.Name, c.Label }));

    private static OpSpec Binary(
        string name,
        string[] covers,
        Func<Tensor, Tensor, Tensor> method,
        Func<Tensor, Tensor, Tensor> tensorOperator,
        Func<Tensor, double, Tensor> scalarRight,
        Func<double, Tensor, Tensor> scalarLeft,
        Sampler domain) =>
        new(name, covers, 2, x => method(x[0], x[1]), domain,
        [
            new("[3,4] and [3,4]", [[3, 4], [3, 4]]),
            new("[3,4] and [4]", [[3, 4], [4]]),
            new("[4] and [3,4]", [[4], [3, 4]]),
            new("[2,1,3] and [4,1]", [[2, 1, 3], [4, 1]]),
            new("[3,1] and [1,4]", [[3, 1], [1, 4]]),
            new("[] and [2,3]", [[], [2, 3]]),
            new("[2,3] and []", [[2, 3], []]),
            new("[1,1] and [2,3]", [[1, 1], [2, 3]]),
            new("[] and []", [[], []]),
            new("operator, [2,1,3] and [4,1]", [[2, 1, 3], [4, 1]], x => tensorOperator(x[0], x[1])),
            new("operator, [2,3] and scalar 1.75", [[2, 3]], x => scalarRight(x[0], 1.75)),
            new("operator, scalar -1.25 and [2,3]", [[2, 3]], x => scalarLeft(-1.25, x[0])),
        ]);

    private static OpSpec Unary(string name, Func<Tensor, Tensor> method, Sampler domain) =>
        new(name, [name], 1, x => method(x[0]), domain, UnaryShapes());

    private static OpCase[] UnaryShapes() =>
    [
        new("[]", [[]]),
        new("[5]", [[5]]),
        new("[2,3]", [[2, 3]]),
        new("[1,1]", [[1, 1]]),
        new("[2,1,3]", [[2, 1, 3]]),
    ];

    private static OpSpec Reduction(
        string name, Func<Tensor, int[]?, bool, Tensor> overAxes, Func<Tensor, int, bool, Tensor> overAxis) =>
        new(name, [name], 1, x => overAxes(x[0], null, false), Domains.Real,
        [
            new("all axes [2,3,4]", [[2, 3, 4]]),
            new("all axes keepDims [2,3,4]", [[2, 3, 4]], x => overAxes(x[0], null, true)),
            new("all axes of a scalar", [[]]),
            new("axis 1 [2,3,4]", [[2, 3, 4]], x => overAxis(x[0], 1, false)),
            new("axis -1 keepDims [2,3,4]", [[2, 3, 4]], x => overAxis(x[0], -1, true)),
            new("size-1 axis 1 [2,1,3]", [[2, 1, 3]], x => overAxis(x[0], 1, false)),
            new("axes (0,2) [2,3,4]", [[2, 3, 4]], x => overAxes(x[0], [0, 2], false)),
            new("axes (-1,0) keepDims [2,3,4]", [[2, 3, 4]], x => overAxes(x[0], [-1, 0], true)),
            new("axes (1,2) [1,3,4]", [[1, 3, 4]], x => overAxes(x[0], [1, 2], false)),
            new("no axes [2,3]", [[2, 3]], x => overAxes(x[0], [], false)),
        ]);
}
