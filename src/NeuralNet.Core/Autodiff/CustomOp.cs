namespace NeuralNet;

/// <summary>
/// A user-defined differentiable op: a forward computation and its derivative rules, which then work with every
/// transform (tapes, <see cref="Autodiff.Grad(Func{Tensor, Tensor}, Tensor)"/>, <see cref="Autodiff.Jvp(Func{Tensor, Tensor}, Tensor, Tensor)"/>,
/// nesting, <see cref="Autodiff.GradCheck(Func{Tensor, Tensor}, Tensor, double, double, int)"/>). PyTorch's
/// <c>torch.autograd.Function</c>, JAX's <c>custom_vjp</c> and <c>custom_jvp</c>.
/// </summary>
/// <remarks>
/// <para>Use it for a fused or numerically stable formula, or to replace a derivative (a straight-through
/// estimator, a clipped gradient).</para>
/// <code>
/// sealed class Cube : CustomOp
/// {
///     public override string Name =&gt; "Cube";
///     public override Tensor Forward(IReadOnlyList&lt;Tensor&gt; x) =&gt; x[0] * x[0] * x[0];
///     public override Tensor?[] Vjp(Tensor g, IReadOnlyList&lt;Tensor&gt; x, Tensor y) =&gt; [3.0 * g * x[0].Square()];
/// }
/// Tensor y = new Cube().Apply(x);
/// </code>
/// <para>Write <see cref="Vjp"/> (and <see cref="Jvp"/>, if given) with tensor ops: then the rules are
/// differentiable themselves, so second derivatives work and, without a <see cref="Jvp"/>, forward mode is derived
/// from the VJP by transposition (the VJP is linear in the cotangent u, so J·t = ∇ᵤ Σᵢ⟨VJPᵢ(u), tᵢ⟩).</para>
/// </remarks>
public abstract class CustomOp
{
    /// <summary>The op's name, as error messages show it.</summary>
    public abstract string Name { get; }

    /// <summary>Computes the output from plain values (nothing is recorded while it runs).</summary>
    /// <param name="inputs">The inputs' values, without derivatives.</param>
    public abstract Tensor Forward(IReadOnlyList<Tensor> inputs);

    /// <summary>
    /// The vector-Jacobian products: for the output's cotangent g, one cotangent per input, of exactly the input's
    /// shape and dtype, or null where it is zero. Anything else is refused with an error naming the op and the input
    /// (nothing is broadcast or converted: a mismatch is almost always a wrong rule).
    /// </summary>
    /// <param name="cotangent">∂L/∂output, of the output's shape.</param>
    /// <param name="inputs">The inputs the output was computed from.</param>
    /// <param name="output">The output, for rules that reuse it.</param>
    public abstract Tensor?[] Vjp(Tensor cotangent, IReadOnlyList<Tensor> inputs, Tensor output);

    /// <summary>
    /// The Jacobian-vector product Σᵢ Jᵢ·tᵢ for the inputs' tangents (null where zero), of exactly the output's
    /// shape and dtype, or null when it is zero. The default derives it from <see cref="Vjp"/> by transposition; override it when a direct formula
    /// is cheaper.
    /// </summary>
    /// <param name="tangents">One tangent per input, of its shape, or null for zero.</param>
    /// <param name="inputs">The inputs the output was computed from.</param>
    /// <param name="output">The output, for rules that reuse it.</param>
    public virtual Tensor? Jvp(IReadOnlyList<Tensor?> tangents, IReadOnlyList<Tensor> inputs, Tensor output)
    {
        // u ↦ Σᵢ ⟨VJPᵢ(u), tᵢ⟩ is linear in u, and its gradient is Σᵢ Jᵢ·tᵢ.
        Tensor[] fixedInputs = [.. inputs];
        Tensor Pairing(Tensor u)
        {
            Tensor?[] cotangents = CheckedVjp(u, fixedInputs, output);
            Tensor sum = Tensor.Scalar(0, output.DType);
            for (int i = 0; i < cotangents.Length; i++)
            {
                if (cotangents[i] is { } c && tangents[i] is { } t)
                {
                    sum += (c.BroadcastTo(t.Shape) * t).Sum();
                }
            }

            return sum;
        }

        return Autodiff.Grad(Pairing, Tensor.ZerosLike(output));
    }

    /// <summary>Applies the op: records it on active tapes and carries tangents on dual tensors.</summary>
    /// <exception cref="ArgumentException">No inputs, or inputs of different dtypes.</exception>
    public Tensor Apply(params Tensor[] inputs)
    {
        if (inputs.Length == 0)
        {
            throw new ArgumentException($"{Name}: a custom op needs at least one input.", nameof(inputs));
        }

        foreach (Tensor input in inputs)
        {
            OpChecks.SameDType(Name, inputs[0], input);
        }

        return Dispatcher.Apply(new Adapter(this), (Tensor[])inputs.Clone());
    }

    private Tensor?[] CheckedVjp(Tensor cotangent, Tensor[] inputs, Tensor output)
    {
        // What the user's rule makes is theirs to keep (a hook may store the cotangent), so it is never pooled for the step.
        Tensor?[]? cotangents;
        using (Tape.InUserRule())
        {
            cotangents = Vjp(cotangent, inputs, output);
        }

        if (cotangents is null)
        {
            throw new InvalidOperationException($"{Name}: Vjp returned null; return one cotangent per input (null for a zero one).");
        }

        if (cotangents.Length != inputs.Length)
        {
            throw new InvalidOperationException($"{Name}: Vjp returned {cotangents.Length} cotangents for {inputs.Length} inputs.");
        }

        for (int i = 0; i < cotangents.Length; i++)
        {
            if (cotangents[i] is { } c && (c.Shape != inputs[i].Shape || c.DType != inputs[i].DType))
            {
                throw new InvalidOperationException(
                    $"{Name}: Vjp returned a {c.Shape} {c.DType} cotangent for input {i}, which is {inputs[i].Shape} {inputs[i].DType}; " +
                    "a cotangent must have its input's shape and dtype.");
            }
        }

        return cotangents;
    }

    private Tensor? CheckedJvp(Tensor?[] tangents, Tensor[] inputs, Tensor output)
    {
        Tensor? tangent = Jvp(tangents, inputs, output);
        if (tangent is not null && (tangent.Shape != output.Shape || tangent.DType != output.DType))
        {
            throw new InvalidOperationException(
                $"{Name}: Jvp returned a {tangent.Shape} {tangent.DType} tangent for an output that is {output.Shape} {output.DType}; " +
                "the tangent must have the output's shape and dtype.");
        }

        return tangent;
    }

    /// <summary>Runs a custom op through the dispatcher like a built-in one.</summary>
    private sealed class Adapter(CustomOp custom) : Op
    {
        public override string Name => custom.Name;

        public override bool IsComposite => true;

        public override Tensor Forward(Tensor[] inputs)
        {
            using (GradMode.Disable())
            {
                Tensor output = custom.Forward(inputs)
                    ?? throw new InvalidOperationException($"{custom.Name}: Forward returned null; it must return the output tensor.");
                return output.AsConstant();
            }
        }

        public override Tensor?[] Vjps(Tensor cotangent, Tensor[] inputs, Tensor output, bool[] needed) =>
            custom.CheckedVjp(cotangent, inputs, output);

        public override Tensor? Jvps(Tensor?[] tangents, Tensor[] inputs, Tensor output) => custom.CheckedJvp(tangents, inputs, output);

        public override Tensor? Vjp(int index, Tensor cotangent, Tensor[] inputs, Tensor output) =>
            custom.CheckedVjp(cotangent, inputs, output)[index];

        public override Tensor? Jvp(int index, Tensor tangent, Tensor[] inputs, Tensor output)
        {
            var tangents = new Tensor?[inputs.Length];
            tangents[index] = tangent;
            return custom.CheckedJvp(tangents, inputs, output);
        }
    }
}
