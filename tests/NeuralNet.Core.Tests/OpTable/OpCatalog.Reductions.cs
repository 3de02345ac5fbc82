namespace NeuralNet.Tests.OpTable;

using NeuralNet;

public static partial class OpCatalog
{
    /// <summary>Reductions over axes, and the softmax family over one axis.</summary>
    private static OpSpec[] Reductions() =>
    [
        Reduction("Sum", (x, axes, keep) => x.Sum(axes, keep), (x, axis, keep) => x.Sum(axis, keep)),
        Reduction("Mean", (x, axes, keep) => x.Mean(axes, keep), (x, axis, keep) => x.Mean(axis, keep)),

        // Standard normal samples are distinct (a tie within the 1e-6 finite-difference step is improbable), so
        // Max and Min are differentiable at them; ties have their own test in ReductionTests.
        Reduction("Max", (x, axes, keep) => x.Max(axes, keep), (x, axis, keep) => x.Max(axis, keep)),
        Reduction("Min", (x, axes, keep) => x.Min(axes, keep), (x, axis, keep) => x.Min(axis, keep)),
        WithCases(
            Reduction("Variance", (x, axes, keep) => x.Variance(axes, keep), (x, axis, keep) => x.Variance(axis, keep)),
            new("correction 1, all axes [2,3,4]", [[2, 3, 4]], x => x[0].Variance(correction: 1)),
            new("correction 1, axis 0 keepDims [2,3]", [[2, 3]], x => x[0].Variance(0, keepDims: true, correction: 1)),
            new("correction 2, axes (0,-1) [3,2,4]", [[3, 2, 4]], x => x[0].Variance([0, -1], correction: 2))),

        // Not the Reduction helper's cases: √ has an infinite slope at a zero variance (a size-1 or empty reduction).
        new("StandardDeviation", ["StandardDeviation"], 1, x => x[0].StandardDeviation(), Domains.Real,
        [
            new("all axes [2,3,4]", [[2, 3, 4]]),
            new("all axes keepDims [2,3]", [[2, 3]], x => x[0].StandardDeviation(keepDims: true)),
            new("axis 1 [2,3,4]", [[2, 3, 4]], x => x[0].StandardDeviation(1)),
            new("axis -1 keepDims [2,3,4]", [[2, 3, 4]], x => x[0].StandardDeviation(-1, keepDims: true)),
            new("axes (0,2) [2,3,4]", [[2, 3, 4]], x => x[0].StandardDeviation([0, 2])),
            new("correction 1, axis 0 [3,2]", [[3, 2]], x => x[0].StandardDeviation(0, correction: 1)),
        ]),

        new("LogSumExp", ["LogSumExp"], 1, x => x[0].LogSumExp(), Domains.Real,
        [
            .. SoftmaxAxes((x, axis) => x.LogSumExp(axis)),
            new("axis -1 keepDims [2,3,4]", [[2, 3, 4]], x => x[0].LogSumExp(-1, keepDims: true)),
            new("axis 1 keepDims [2,3,4]", [[2, 3, 4]], x => x[0].LogSumExp(1, keepDims: true)),
            new("size-1 axis keepDims [2,1,3]", [[2, 1, 3]], x => x[0].LogSumExp(1, keepDims: true)),
        ]),
        new("Softmax", ["Softmax"], 1, x => x[0].Softmax(), Domains.Real, SoftmaxAxes((x, axis) => x.Softmax(axis))),
        new("LogSoftmax", ["LogSoftmax"], 1, x => x[0].LogSoftmax(), Domains.Real,
            SoftmaxAxes((x, axis) => x.LogSoftmax(axis))),
        new("SoftmaxCrossEntropy", ["SoftmaxCrossEntropy"], 1, x => Tensor.SoftmaxCrossEntropy(x[0], [2, 0, 1, 1]), Domains.Real,
        [
            new("[4,3] labels 2,0,1,1", [[4, 3]]),
            new("one class [1,1]", [[1, 1]], x => Tensor.SoftmaxCrossEntropy(x[0], [0])),
            new("[3,5] labels 4,4,0", [[3, 5]], x => Tensor.SoftmaxCrossEntropy(x[0], [4, 4, 0])),
            new("large logits [2,6]", [[2, 6]], x => Tensor.SoftmaxCrossEntropy(x[0], [5, 1]), Domains.Uniform(-30, 30)),

            // rows of 64 classes and more take the per-row kernel instead of the batched one
            new("[3,70] labels 69,0,35", [[3, 70]], x => Tensor.SoftmaxCrossEntropy(x[0], [69, 0, 35])),
        ]),
    ];

    // One axis at a time: the last (the row's own function, with the default axis: contiguous rows), leading and
    // middle ones (strided rows folded side by side), negative spellings, size-1 axes and a vector.
    private static OpCase[] SoftmaxAxes(Func<Tensor, int, Tensor> overAxis) =>
    [
        new("default axis [2,3,4]", [[2, 3, 4]]),
        new("default axis [5]", [[5]]),
        new("axis 0 [2,3,4]", [[2, 3, 4]], x => overAxis(x[0], 0)),
        new("axis 1 [2,3,4]", [[2, 3, 4]], x => overAxis(x[0], 1)),
        new("axis -2 [2,3,4]", [[2, 3, 4]], x => overAxis(x[0], -2)),
        new("axis -3 [3,4,2]", [[3, 4, 2]], x => overAxis(x[0], -3)),
        new("size-1 axis 1 [2,1,3]", [[2, 1, 3]], x => overAxis(x[0], 1)),
        new("size-1 default axis [3,1]", [[3, 1]]),
        new("axis 0 [1,4]", [[1, 4]], x => overAxis(x[0], 0)),
    ];

    private static OpSpec WithCases(OpSpec row, params OpCase[] extra) => row with { Cases = [.. row.Cases, .. extra] };
}
