namespace NeuralNet;

/// <summary>
/// An elementary op: a forward kernel on constants, and its reverse-mode (VJP) and forward-mode (JVP) rules.
/// Rules are written with differentiable tensor ops, so derivatives nest.
/// </summary>
internal abstract class Op
{
    /// <summary>The op's name as error messages show it.</summary>
    public abstract string Name { get; }

    /// <summary>Computes the op on constant inputs.</summary>
    public abstract Tensor Forward(Tensor[] inputs);

    /// <summary>
    /// The cotangent of input <paramref name="index"/> given the output's cotangent, or null for zero. It may
    /// have the output's broadcast shape: the tape sums it down to the input's shape.
    /// </summary>
    public abstract Tensor? Vjp(int index, Tensor cotangent, Tensor[] inputs, Tensor output);

    /// <summary>
    /// The output tangent contributed by input <paramref name="index"/>'s tangent, or null for zero. The
    /// contributions of all inputs are summed and broadcast to the output's shape by the dispatcher.
    /// </summary>
    public abstract Tensor? Jvp(int index, Tensor tangent, Tensor[] inputs, Tensor output);
}

/// <summary>An element-wise unary op: both rules come from its derivative f′(x), as t·f′ and g·f′.</summary>
internal abstract class ElementwiseUnaryOp : Op
{
    /// <summary>f′(x), written with differentiable ops; may reuse the output y = f(x). Null means zero.</summary>
    protected abstract Tensor? Derivative(Tensor x, Tensor y);

    public override Tensor? Vjp(int index, Tensor cotangent, Tensor[] inputs, Tensor output) =>
        Derivative(inputs[0], output) is { } d ? cotangent * d : null;

    public override Tensor? Jvp(int index, Tensor tangent, Tensor[] inputs, Tensor output) =>
        Derivative(inputs[0], output) is { } d ? tangent * d : null;
}

/// <summary>A linear unary op (sum, reshape, transpose, broadcast, negation): its JVP is the op applied to the tangent.</summary>
internal abstract class LinearUnaryOp : Op
{
    public override Tensor? Jvp(int index, Tensor tangent, Tensor[] inputs, Tensor output) => Dispatcher.Apply(this, tangent);
}
