namespace NeuralNet.Layers;

/// <summary>The sigmoid-weighted linear unit x·σ(x), element-wise (PyTorch's <c>nn.SiLU</c>, Keras's <c>swish</c>).</summary>
/// <remarks>f′(x) = σ(x)(1 + x(1 − σ(x))): smooth, and negative just below 0, unlike ReLU's.</remarks>
public sealed class SiLU : Activation
{
    /// <summary>Applies x·σ(x) element-wise.</summary>
    public override Tensor Forward(Tensor input) => input.Silu();
}
