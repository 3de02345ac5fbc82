namespace NeuralNet.Optimizers;

/// <summary>
/// Updates parameters from their accumulated gradients (<see cref="Parameter.Grad"/>), keeping its own state per
/// parameter. Optimizers know nothing of layers: any parameters will do.
/// </summary>
public abstract class Optimizer
{
    /// <summary>Creates an optimizer over <paramref name="parameters"/>.</summary>
    /// <exception cref="ArgumentException">No parameters, or one of them twice.</exception>
    protected Optimizer(IEnumerable<Parameter> parameters)
    {
        Parameters = [.. parameters];
        if (Parameters.Count == 0)
        {
            throw new ArgumentException($"{GetType().Name}: no parameters to optimize.", nameof(parameters));
        }

        if (Parameters.Distinct(ReferenceEqualityComparer.Instance).Count() != Parameters.Count)
        {
            throw new ArgumentException($"{GetType().Name}: a parameter is listed twice.", nameof(parameters));
        }
    }

    /// <summary>The parameters this optimizer updates.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Updates every parameter that has a gradient, in place.</summary>
    public abstract void Step();

    /// <summary>Clears the gradient of every parameter.</summary>
    public void ZeroGrad()
    {
        foreach (Parameter parameter in Parameters)
        {
            parameter.ZeroGrad();
        }
    }
}
