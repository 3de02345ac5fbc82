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
    /// Computes the op on constant inputs into <paramref name="output"/>'s buffer, a result of <see cref="Forward"/> on
    /// inputs of the same shapes, without allocating: how a <see cref="CapturedStep"/> replays the kernel. False when the
    /// op has no such kernel for these shapes; the replay then runs <see cref="Forward"/>.
    /// </summary>
    public virtual bool ForwardInto(Tensor[] inputs, Tensor output) => false;

    /// <summary>Whether <see cref="Forward"/> runs dispatched ops of its own (a custom op's), which a cost report counts instead.</summary>
    public virtual bool IsComposite => false;

    /// <summary>
    /// Whether the VJP rules read input <paramref name="index"/>'s values (not only its shape and dtype) when the
    /// inputs flagged in <paramref name="needed"/> get cotangents: PyTorch's saved variables in derivatives.yaml.
    /// A tape keeps only saved values alive, checks that none changed in place before running the rules, and hands
    /// the rules a shape-only stand-in for the rest. True unless the op says otherwise.
    /// </summary>
    public virtual bool SavesInput(int index, bool[] needed) => true;

    /// <summary>Whether the VJP rules read the output's values, as <see cref="SavesInput"/> for the output.</summary>
    public virtual bool SavesOutput(bool[] needed) => true;

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

    /// <summary>
    /// The cotangents of every input whose <paramref name="needed"/> flag is set (null for zero or not needed).
    /// By default one <see cref="Vjp"/> call per needed input; an op whose rules share work computes them at once.
    /// </summary>
    public virtual Tensor?[] Vjps(Tensor cotangent, Tensor[] inputs, Tensor output, bool[] needed)
    {
        var cotangents = new Tensor?[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            cotangents[i] = needed[i] ? Vjp(i, cotangent, inputs, output) : null;
        }

        return cotangents;
    }

    /// <summary>
    /// The output tangent for the input tangents (null for zero), or null when it is zero. By default the sum of
    /// one <see cref="Jvp"/> per non-zero tangent.
    /// </summary>
    public virtual Tensor? Jvps(Tensor?[] tangents, Tensor[] inputs, Tensor output)
    {
        Tensor? sum = null;
        for (int i = 0; i < inputs.Length; i++)
        {
            if (tangents[i] is { } tangent && Jvp(i, tangent, inputs, output) is { } contribution)
            {
                sum = sum is null ? contribution : sum + contribution;
            }
        }

        return sum;
    }
}

/// <summary>What an element-wise unary op's derivative reads: x, y = f(x), or both.</summary>
[Flags]
internal enum DerivativeReads
{
    /// <summary>The derivative is a function of x.</summary>
    Input = 1,

    /// <summary>The derivative is a function of y = f(x).</summary>
    Output = 2,

    /// <summary>The derivative uses both.</summary>
    Both = Input | Output,
}

/// <summary>An element-wise unary op: both rules come from its derivative f′(x), as t·f′ and g·f′.</summary>
/// <param name="reads">What <see cref="Derivative"/> reads; the tape saves only that.</param>
internal abstract class ElementwiseUnaryOp(DerivativeReads reads) : Op
{
    public override bool SavesInput(int index, bool[] needed) => reads.HasFlag(DerivativeReads.Input);

    public override bool SavesOutput(bool[] needed) => reads.HasFlag(DerivativeReads.Output);

    /// <summary>f′(x), written with differentiable ops; may reuse the output y = f(x). Null means zero.</summary>
    protected abstract Tensor? Derivative(Tensor x, Tensor y);

    public override Tensor? Vjp(int index, Tensor cotangent, Tensor[] inputs, Tensor output) =>
        Derivative(inputs[0], output) is { } d ? cotangent * d : null;

    public override Tensor? Jvp(int index, Tensor tangent, Tensor[] inputs, Tensor output) =>
        Derivative(inputs[0], output) is { } d ? tangent * d : null;
}

/// <summary>A linear unary op (sum, reshape, transpose, broadcast, negation): its JVP is the op applied to the tangent.
/// Its VJP reads only the input's shape, so a tape saves no values for it.</summary>
internal abstract class LinearUnaryOp : Op
{
    public override bool SavesInput(int index, bool[] needed) => false;

    public override bool SavesOutput(bool[] needed) => false;

    public override Tensor? Jvp(int index, Tensor tangent, Tensor[] inputs, Tensor output) => Dispatcher.Apply(this, tangent);
}
