namespace NeuralNet.Layers;

/// <summary>The hyperbolic tangent, element-wise (PyTorch's <c>nn.Tanh</c>).</summary>
/// <remarks>tanh′(x) = 1 − tanh²(x).</remarks>
public sealed class Tanh : Activation
{
    /// <summary>Applies tanh(x) element-wise.</summary>
    public override Tensor Forward(Tensor input) => input.Tanh();
}
