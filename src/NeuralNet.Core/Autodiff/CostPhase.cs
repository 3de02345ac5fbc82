namespace NeuralNet;

/// <summary>Which evaluation of a <see cref="CostReport"/> an op ran in.</summary>
public enum CostPhase
{
    /// <summary>f evaluated plainly, with no derivative.</summary>
    Function,

    /// <summary>f and its Jacobian-vector product for one tangent, in one forward-mode pass.</summary>
    Jvp,

    /// <summary>f recorded on a tape, then its vector-Jacobian product for one cotangent, in one backward pass.</summary>
    Vjp,
}
