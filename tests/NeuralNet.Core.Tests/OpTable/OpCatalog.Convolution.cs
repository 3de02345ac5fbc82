namespace NeuralNet.Tests.OpTable;

using NeuralNet;

public static partial class OpCatalog
{
    /// <summary>Distinct values 0.1 apart in a random order: max pooling has no ties, so finite differences are defined.</summary>
    private static readonly Sampler Distinct = (_, shape, seed) =>
    {
        double[] order = Tensor.RandomUniform(shape, seed, 0.0, 1.0, DType.Float64).ToArray<double>();
        int[] rank = [.. Enumerable.Range(0, order.Length).OrderBy(k => order[k])];
        var values = new double[order.Length];
        for (int r = 0; r < rank.Length; r++)
        {
            values[rank[r]] = 0.1 * (r - (rank.Length / 2));
        }

        return Tensor.FromArray(values, shape.ToArray());
    };

    /// <summary>Sliding-window ops: Unfold and Fold, the convolutions and pooling, at stride 2, padding 1, dilation 2 and non-square kernels.</summary>
    private static OpSpec[] Convolution() =>
    [
        new("Unfold", ["Unfold"], 1, x => Tensor.Unfold(x[0], 2), Domains.Real,
        [
            new("kernel 2 [1,1,4,4]", [[1, 1, 4, 4]]),
            new("kernel (2,3) stride 2 [2,2,5,6]", [[2, 2, 5, 6]], x => Tensor.Unfold(x[0], (2, 3), stride: 2)),
            new("kernel 3 padding 1 [1,2,4,4]", [[1, 2, 4, 4]], x => Tensor.Unfold(x[0], 3, padding: 1)),
            new("kernel 2 dilation 2 [1,1,5,6]", [[1, 1, 5, 6]], x => Tensor.Unfold(x[0], 2, dilation: 2)),
            new("kernel (3,2) dilation (1,2) padding (1,0) stride (2,1) [2,1,5,5]", [[2, 1, 5, 5]],
                x => Tensor.Unfold(x[0], (3, 2), dilation: (1, 2), padding: (1, 0), stride: (2, 1))),
        ]),

        // Input shapes [N, C·kh·kw, L] with L the windows of the output plane: 3×3 windows of 2×2 on 4×4; 2×2 windows of
        // (2,3) at stride 2 on 5×6; 4×4 windows of 3×3 with padding 1 on 4×4; 3×4 windows of 2×2 dilated 2 on 5×6.
        new("Fold", ["Fold"], 1, x => Tensor.Fold(x[0], 4, 2), Domains.Real,
        [
            new("kernel 2 to [4,4] from [1,4,9]", [[1, 4, 9]]),
            new("kernel (2,3) stride 2 to [5,6] from [2,12,4]", [[2, 12, 4]], x => Tensor.Fold(x[0], (5, 6), (2, 3), stride: 2)),
            new("kernel 3 padding 1 to [4,4] from [1,18,16]", [[1, 18, 16]], x => Tensor.Fold(x[0], 4, 3, padding: 1)),
            new("kernel 2 dilation 2 to [5,6] from [1,4,12]", [[1, 4, 12]], x => Tensor.Fold(x[0], (5, 6), 2, dilation: 2)),
        ]),

        new("Conv2d", ["Conv2d"], 3, x => Tensor.Conv2d(x[0], x[1], x[2]), Domains.Real,
        [
            new("[2,3,5,5] * [4,3,3,3] + [4]", [[2, 3, 5, 5], [4, 3, 3, 3], [4]]),
            new("stride 2 [1,2,6,5] * [3,2,3,2] + [3]", [[1, 2, 6, 5], [3, 2, 3, 2], [3]], x => Tensor.Conv2d(x[0], x[1], x[2], stride: 2)),
            new("padding 1 [2,2,4,4] * [2,2,3,3] + [2]", [[2, 2, 4, 4], [2, 2, 3, 3], [2]], x => Tensor.Conv2d(x[0], x[1], x[2], padding: 1)),
            new("dilation 2 [1,1,6,7] * [2,1,2,3] + [2]", [[1, 1, 6, 7], [2, 1, 2, 3], [2]], x => Tensor.Conv2d(x[0], x[1], x[2], dilation: 2)),
            new("stride (2,1) padding (1,2) dilation (2,1) [2,2,5,4] * [3,2,2,3] + [3]", [[2, 2, 5, 4], [3, 2, 2, 3], [3]],
                x => Tensor.Conv2d(x[0], x[1], x[2], stride: (2, 1), padding: (1, 2), dilation: (2, 1))),
            new("no bias [1,2,4,3] * [3,2,2,2]", [[1, 2, 4, 3], [3, 2, 2, 2]], x => Tensor.Conv2d(x[0], x[1])),
            new("1x1 kernel [2,3,3,2] * [2,3,1,1] + [2]", [[2, 3, 3, 2], [2, 3, 1, 1], [2]]),
        ]),

        new("Conv1d", ["Conv1d"], 3, x => Tensor.Conv1d(x[0], x[1], x[2]), Domains.Real,
        [
            new("[2,3,7] * [4,3,3] + [4]", [[2, 3, 7], [4, 3, 3], [4]]),
            new("stride 2 padding 1 dilation 2 [1,2,9] * [3,2,3] + [3]", [[1, 2, 9], [3, 2, 3], [3]],
                x => Tensor.Conv1d(x[0], x[1], x[2], stride: 2, padding: 1, dilation: 2)),
            new("no bias [2,1,5] * [2,1,2]", [[2, 1, 5], [2, 1, 2]], x => Tensor.Conv1d(x[0], x[1])),
        ]),

        new("MaxPool2d", ["MaxPool2d"], 1, x => Tensor.MaxPool2d(x[0], 2), Distinct,
        [
            new("kernel 2 [1,2,4,4]", [[1, 2, 4, 4]]),
            new("kernel 3 stride 2 padding 1 [2,1,5,5]", [[2, 1, 5, 5]], x => Tensor.MaxPool2d(x[0], 3, stride: 2, padding: 1)),
            new("kernel (2,3) stride (1,2) dilation 2 [1,2,6,7]", [[1, 2, 6, 7]], x => Tensor.MaxPool2d(x[0], (2, 3), stride: (1, 2), dilation: 2)),
            new("overlapping kernel 3 stride 1 [1,1,4,5]", [[1, 1, 4, 5]], x => Tensor.MaxPool2d(x[0], 3, stride: 1)),
        ]),

        new("AvgPool2d", ["AvgPool2d"], 1, x => Tensor.AvgPool2d(x[0], 2), Domains.Real,
        [
            new("kernel 2 [1,2,4,4]", [[1, 2, 4, 4]]),
            new("kernel 3 stride 2 padding 1 [2,1,5,5]", [[2, 1, 5, 5]], x => Tensor.AvgPool2d(x[0], 3, stride: 2, padding: 1)),
            new("kernel (2,3) stride (1,2) [1,2,5,7]", [[1, 2, 5, 7]], x => Tensor.AvgPool2d(x[0], (2, 3), stride: (1, 2))),
        ]),
    ];
}
