namespace NeuralNet;

/// <summary>One op that ran while a <see cref="CostReport"/> was taken, with its cost.</summary>
/// <param name="Op">The op's name (<c>Multiply</c>, <c>MatMul</c>, ...).</param>
/// <param name="Phase">The evaluation it ran in: f, its JVP or its VJP.</param>
/// <param name="Step">Whether it computed a value of f, a tangent or an adjoint.</param>
/// <param name="InputShapes">The shapes of its inputs, in order.</param>
/// <param name="InputDTypes">The dtypes of its inputs, in order.</param>
/// <param name="OutputShape">The shape of its output.</param>
/// <param name="OutputDType">The dtype of its output.</param>
/// <param name="Flops">Its floating-point operations, under the conventions of <see cref="Autodiff.Cost(Func{Tensor, Tensor}, Tensor)"/>.</param>
/// <param name="Bytes">The bytes it read and wrote.</param>
public sealed record CostRow(
    string Op,
    CostPhase Phase,
    CostStep Step,
    IReadOnlyList<Shape> InputShapes,
    IReadOnlyList<DType> InputDTypes,
    Shape OutputShape,
    DType OutputDType,
    long Flops,
    long Bytes);
