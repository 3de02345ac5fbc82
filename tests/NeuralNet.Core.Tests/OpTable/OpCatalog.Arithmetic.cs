namespace NeuralNet.Tests.OpTable;

using NeuralNet;

public static partial class OpCatalog
{
    /// <summary>Element-wise arithmetic and elementary functions.</summary>
    private static OpSpec[] Arithmetic() =>
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

        // Widen, square, narrow back: the identity casts in the Float64 table (finite differences cannot see through
        // float32 rounding), and both directions of the cast op, values and rules, in the Float32 pass.
        new("To", ["To"], 1, x => x[0].To(DType.Float64).Square().To(x[0].DType), Domains.Real, UnaryShapes()),
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
            new("tensor exponent [2,3] ^ [2,3]", [[2, 3], [2, 3]], x => x[0].Pow(x[1])),
            new("tensor exponent [2,3] ^ [3]", [[2, 3], [3]], x => x[0].Pow(x[1])),
            new("tensor exponent [3,1] ^ [1,4]", [[3, 1], [1, 4]], x => x[0].Pow(x[1])),
            new("tensor exponent [] ^ [2,2]", [[], [2, 2]], x => x[0].Pow(x[1])),
        ]),

        new("Log1p", ["Log1p"], 1, x => x[0].Log1p(), Domains.Positive,
            [.. UnaryShapes(), new("|x| < 0.5 [2,3]", [[2, 3]], Domain: Domains.Uniform(-0.5, 0.5))]),
        Unary("Expm1", x => x.Expm1(), Domains.Real),
    ];
}
