namespace NeuralNet.Layers;

/// <summary>The rectified linear unit max(x, 0), element-wise (PyTorch's <c>nn.ReLU</c>).</summary>
/// <remarks>f′(x) = 1 for x &gt; 0, else 0.</remarks>
public sealed class ReLU : Activation
{
    /// <summary>Applies max(x, 0) element-wise.</summary>
    public override Tensor Forward(Tensor input) => input.Relu();
}
