namespace NeuralNet;

/// <summary>What an op of a <see cref="CostReport"/> computed: a value of f, a tangent or an adjoint.</summary>
public enum CostStep
{
    /// <summary>An op of f itself (in every phase, since each derivative evaluates f too).</summary>
    Primal,

    /// <summary>An op of forward mode's JVP rules: it computes a tangent.</summary>
    Tangent,

    /// <summary>An op of the backward pass: a VJP rule, a sum of a broadcast cotangent or of two paths' cotangents.</summary>
    Adjoint,
}
