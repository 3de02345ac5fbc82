namespace NeuralNet.Layers;

/// <summary>The logistic function σ(x) = 1 / (1 + e^−x), element-wise (PyTorch's <c>nn.Sigmoid</c>).</summary>
/// <remarks>σ′(x) = σ(x)(1 − σ(x)). For a binary classifier, prefer raw logits with <see cref="Losses.BinaryCrossEntropyWithLogits"/>, which is stable.</remarks>
public sealed class Sigmoid : Activation
{
    /// <summary>Applies σ(x) element-wise.</summary>
    public override Tensor Forward(Tensor input) => input.Sigmoid();
}
