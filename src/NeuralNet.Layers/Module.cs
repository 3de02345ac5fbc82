namespace NeuralNet.Layers;

/// <summary>A layer or model: it has parameters and maps a tensor to a tensor (PyTorch's <c>nn.Module</c>).</summary>
public abstract class Module
{
    /// <summary>Every trainable parameter of this module and its children, in a stable order.</summary>
    public abstract IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Applies the module to <paramref name="input"/>.</summary>
    public abstract Tensor Forward(Tensor input);

    /// <summary>Clears the gradient of every parameter.</summary>
    public void ZeroGrad()
    {
        foreach (Parameter parameter in Parameters)
        {
            parameter.ZeroGrad();
        }
    }
}
