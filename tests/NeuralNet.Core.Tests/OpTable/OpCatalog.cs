namespace NeuralNet.Tests.OpTable;

using NeuralNet;

/// <summary>
/// The op table: one row per public op, each with several shapes, including broadcasting, size-1 axes and
/// scalars. <see cref="OpTableTests"/> checks every (row, case) in Float64; <see cref="OpCompletenessTests"/>
/// fails when a public op has no row here.
/// </summary>
public static partial class OpCatalog
{
    /// <summary>Every row.</summary>
    public static readonly OpSpec[] All = [.. Arithmetic(), .. Activations(), .. Comparisons(), .. Reductions(), .. ShapeOps(), .. LinearAlgebra(), .. Convolution()];

    /// <summary>The row with this name.</summary>
    public static OpSpec Row(string name) => All.Single(r => r.Name == name);

    /// <summary>A case of a row, as the checks use it: its function and its Float64 inputs drawn with <paramref name="seed"/>.</summary>
    public static (Func<Tensor[], Tensor> Function, Tensor[] Inputs) Sample(string op, string label, int seed)
    {
        OpSpec row = Row(op);
        OpCase sample = row.Case(label);
        return (row.FunctionOf(sample), row.Inputs(sample, seed));
    }

    /// <summary>Every (row, case) by name, for xunit's MemberData (strings keep each case a separate test).</summary>
    public static IEnumerable<object[]> Cases(int minOrder = 1) =>
        All.Where(row => row.Order >= minOrder).SelectMany(row => row.Cases.Select(c => new object[] { row.Name, c.Label }));

    internal static OpSpec Binary(
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

    internal static OpSpec Unary(string name, Func<Tensor, Tensor> method, Sampler domain) =>
        new(name, [name], 1, x => method(x[0]), domain, UnaryShapes());

    internal static OpCase[] UnaryShapes() =>
    [
        new("[]", [[]]),
        new("[5]", [[5]]),
        new("[2,3]", [[2, 3]]),
        new("[1,1]", [[1, 1]]),
        new("[2,1,3]", [[2, 1, 3]]),
    ];

    internal static OpSpec Reduction(
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
