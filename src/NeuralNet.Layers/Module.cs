namespace NeuralNet.Layers;

/// <summary>A layer or model: it has parameters and maps a tensor to a tensor (PyTorch's <c>nn.Module</c>).</summary>
public abstract class Module
{
    /// <summary>Every trainable parameter of this module and its children, in a stable order.</summary>
    public abstract IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>
    /// Every parameter with a dotted path, in the order of <see cref="Parameters"/> (PyTorch's
    /// <c>named_parameters</c>): a layer's own parameter names ("weight", "bias"), prefixed by each container's
    /// child index ("0.weight", "2.bias"), so checkpoints keep PyTorch's <c>state_dict</c> keys.
    /// </summary>
    /// <remarks>By default a parameter without a name is named by its position.</remarks>
    public virtual IEnumerable<(string Name, Parameter Parameter)> NamedParameters =>
        Parameters.Select((p, i) => (p.Name ?? i.ToString(System.Globalization.CultureInfo.InvariantCulture), p));

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
