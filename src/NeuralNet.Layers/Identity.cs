namespace NeuralNet.Layers;

/// <summary>The identity f(x) = x: the linear activation of the notes (PyTorch's <c>nn.Identity</c>).</summary>
/// <remarks>f′(x) = 1. The name is not <c>Linear</c> because PyTorch users read <c>Linear</c> as the affine layer, which here is <see cref="Dense"/>.</remarks>
public sealed class Identity : Activation
{
    /// <summary>Returns <paramref name="input"/> unchanged.</summary>
    public override Tensor Forward(Tensor input) => input;
}
