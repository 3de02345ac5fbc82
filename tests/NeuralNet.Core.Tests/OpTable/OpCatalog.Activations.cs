namespace NeuralNet.Tests.OpTable;

using NeuralNet;

public static partial class OpCatalog
{
    /// <summary>Activations and element-wise selection. Piecewise ops are sampled away from their kinks.</summary>
    private static OpSpec[] Activations() =>
    [
        Unary("Abs", x => x.Abs(), Domains.NonZero),
        Unary("Sign", x => x.Sign(), Domains.NonZero),
        Unary("Tanh", x => x.Tanh(), Domains.Real),
        Unary("Sigmoid", x => x.Sigmoid(), Domains.Real),
        new("Silu", ["Silu"], 1, x => x[0].Silu(), Domains.Real,
            [.. UnaryShapes(), new("large |x| [2,3]", [[2, 3]], Domain: Domains.Uniform(-30, 30))]),
        Unary("Relu", x => x.Relu(), Domains.NonZero),
        new("LeakyRelu", ["LeakyRelu"], 1, x => x[0].LeakyRelu(), Domains.NonZero,
        [
            .. UnaryShapes(),
            new("alpha 0.2 [2,3]", [[2, 3]], x => x[0].LeakyRelu(0.2)),
            new("alpha -0.5 [2,3]", [[2, 3]], x => x[0].LeakyRelu(-0.5)),
            new("alpha 1.5 [2,3]", [[2, 3]], x => x[0].LeakyRelu(1.5)),
        ]),
        new("Elu", ["Elu"], 1, x => x[0].Elu(), Domains.NonZero,
            [.. UnaryShapes(), new("alpha 0.3 [2,3]", [[2, 3]], x => x[0].Elu(0.3)), new("alpha 2 [2,3]", [[2, 3]], x => x[0].Elu(2))]),
        new("Softplus", ["Softplus"], 1, x => x[0].Softplus(), Domains.Real,
            [.. UnaryShapes(), new("large |x| [2,3]", [[2, 3]], Domain: Domains.Uniform(-30, 30))]),

        // Distinct values almost surely (ties are covered by the selection tests).
        new("Maximum", ["Maximum"], 2, x => Tensor.Maximum(x[0], x[1]), Domains.Real, BroadcastPairs()),
        new("Minimum", ["Minimum"], 2, x => Tensor.Minimum(x[0], x[1]), Domains.Real, BroadcastPairs()),
        new("Clamp", ["Clamp"], 1, x => x[0].Clamp(-0.5, 0.7), Domains.Real,
            [.. UnaryShapes(), new("bounds 0 and 0.1 [3,4]", [[3, 4]], x => x[0].Clamp(0, 0.1))]),
        new("Where", ["Where"], 2, x => Tensor.Where(Checkerboard(x[0].Shape, x[1].Shape).To(x[0].DType), x[0], x[1]), Domains.Real,
        [
            .. BroadcastPairs(),
            new("condition [3,1] with [3,4] and []", [[3, 4], []], x => Tensor.Where(Checkerboard([3, 1]).To(x[0].DType), x[0], x[1])),
        ]),
    ];

    private static OpCase[] BroadcastPairs() =>
    [
        new("[3,4] and [3,4]", [[3, 4], [3, 4]]),
        new("[3,4] and [4]", [[3, 4], [4]]),
        new("[2,1,3] and [4,1]", [[2, 1, 3], [4, 1]]),
        new("[] and [2,3]", [[], [2, 3]]),
        new("[1,1] and [2,3]", [[1, 1], [2, 3]]),
    ];

    /// <summary>An alternating 1/0 mask of the operands' broadcast shape, built from constants.</summary>
    private static Tensor Checkerboard(params Shape[] shapes)
    {
        Shape shape = shapes.Aggregate((a, b) => Shape.Broadcast(a, b));
        return Tensor.FromArray([.. Enumerable.Range(0, shape.Size).Select(i => (double)(i % 2))]).Reshape(shape);
    }
}
