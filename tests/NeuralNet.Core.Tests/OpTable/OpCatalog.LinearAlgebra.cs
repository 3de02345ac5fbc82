namespace NeuralNet.Tests.OpTable;

using NeuralNet;

public static partial class OpCatalog
{
    /// <summary>Matrix and vector products.</summary>
    private static OpSpec[] LinearAlgebra() =>
    [
        new("MatMul", ["MatMul"], 2, x => x[0].MatMul(x[1]), Domains.Real,
        [
            new("[2,3] x [3,4]", [[2, 3], [3, 4]]),
            new("[1,3] x [3,1]", [[1, 3], [3, 1]]),
            new("[3,1] x [1,3]", [[3, 1], [1, 3]]),
            new("[1,1] x [1,1]", [[1, 1], [1, 1]]),
            new("[4,2] x [2,2]", [[4, 2], [2, 2]]),
            new("batched [2,3,4] x [2,4,2]", [[2, 3, 4], [2, 4, 2]]),
            new("batch broadcast [2,1,3,4] x [3,4,2]", [[2, 1, 3, 4], [3, 4, 2]]),
            new("batch broadcast [3,2] x [2,2,4]", [[3, 2], [2, 2, 4]]),
            new("vector x matrix [3] x [3,4]", [[3], [3, 4]]),
            new("matrix x vector [2,3] x [3]", [[2, 3], [3]]),
            new("vector x vector [3] x [3]", [[3], [3]]),
            new("vector x batch [3] x [2,3,4]", [[3], [2, 3, 4]]),
            new("stack x matrix [2,3,4] x [4,2]", [[2, 3, 4], [4, 2]]),
            new("stack x vector [2,3,4] x [4]", [[2, 3, 4], [4]]),
            new("stack x transposed matrix [2,1,3,4] x [5,4]", [[2, 1, 3, 4], [5, 4]], x => Tensor.MatMul(x[0], x[1], transposeB: true)),
            new("transposeA [3,2] x [3,4]", [[3, 2], [3, 4]], x => Tensor.MatMul(x[0], x[1], transposeA: true)),
            new("transposeB [2,3] x [4,3]", [[2, 3], [4, 3]], x => Tensor.MatMul(x[0], x[1], transposeB: true)),
            new("both transposed [2,3,2] x [2,4,3]", [[2, 3, 2], [2, 4, 3]], x => Tensor.MatMul(x[0], x[1], true, true)),
            new("transposeA batch broadcast [3,2] x [2,3,4]", [[3, 2], [2, 3, 4]], x => Tensor.MatMul(x[0], x[1], transposeA: true)),
        ]),

        new("Linear", ["Linear"], 3, x => Tensor.Linear(x[0], x[1], x[2]), Domains.Real,
        [
            new("[4,3] x [2,3]ᵀ + [2]", [[4, 3], [2, 3], [2]]),
            new("one row [3] x [2,3]ᵀ + [2]", [[3], [2, 3], [2]]),
            new("leading axes [2,3,4] x [5,4]ᵀ + [5]", [[2, 3, 4], [5, 4], [5]]),
            new("[1,1] x [1,1]ᵀ + [1]", [[1, 1], [1, 1], [1]]),
            new("no bias [4,3] x [2,3]ᵀ", [[4, 3], [2, 3]], x => Tensor.Linear(x[0], x[1])),
            new("input as weight [3,3] x [3,3]ᵀ + [3]", [[3, 3], [3]], x => Tensor.Linear(x[0], x[0], x[1])),
        ]),

        new("Dot", ["Dot"], 2, x => Tensor.Dot(x[0], x[1]), Domains.Real,
        [
            new("[4] . [4]", [[4], [4]]),
            new("[1] . [1]", [[1], [1]]),
            new("[7] . [7]", [[7], [7]]),
            new("a vector with itself [5]", [[5]], x => Tensor.Dot(x[0], x[0])),
        ]),

        new("Outer", ["Outer"], 2, x => Tensor.Outer(x[0], x[1]), Domains.Real,
        [
            new("[3] x [4]", [[3], [4]]),
            new("[1] x [4]", [[1], [4]]),
            new("[3] x [1]", [[3], [1]]),
            new("a vector with itself [3]", [[3]], x => Tensor.Outer(x[0], x[0])),
        ]),
    ];
}
