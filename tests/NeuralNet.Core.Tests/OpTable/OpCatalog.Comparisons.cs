namespace NeuralNet.Tests.OpTable;

using NeuralNet;

public static partial class OpCatalog
{
    /// <summary>Comparisons: constant masks, so every derivative must be exactly zero.</summary>
    private static OpSpec[] Comparisons() =>
    [
        Comparison("GreaterThan", ["GreaterThan", "op_GreaterThan"], Tensor.GreaterThan, (a, b) => a > b, (a, s) => a > s),
        Comparison("LessThan", ["LessThan", "op_LessThan"], Tensor.LessThan, (a, b) => a < b, (a, s) => a < s),
        Comparison("GreaterThanOrEqual", ["GreaterThanOrEqual", "op_GreaterThanOrEqual"], Tensor.GreaterThanOrEqual, (a, b) => a >= b, (a, s) => a >= s),
        Comparison("LessThanOrEqual", ["LessThanOrEqual", "op_LessThanOrEqual"], Tensor.LessThanOrEqual, (a, b) => a <= b, (a, s) => a <= s),
        new("Equal", ["Equal"], 2, x => Tensor.Equal(x[0], x[1]), Domains.Real, BroadcastPairs()),
    ];

    private static OpSpec Comparison(
        string name, string[] covers, Func<Tensor, Tensor, Tensor> method, Func<Tensor, Tensor, Tensor> tensorOperator, Func<Tensor, double, Tensor> scalarOperator) =>
        new(name, covers, 2, x => method(x[0], x[1]), Domains.Real,
        [
            .. BroadcastPairs(),
            new("operator, [2,1,3] and [4,1]", [[2, 1, 3], [4, 1]], x => tensorOperator(x[0], x[1])),
            new("operator, [2,3] and scalar 0.25", [[2, 3]], x => scalarOperator(x[0], 0.25)),
        ]);
}
