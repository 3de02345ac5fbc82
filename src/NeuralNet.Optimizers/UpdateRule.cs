using System.Numerics;

namespace NeuralNet.Optimizers;

/// <summary>An update rule written once for both element types.</summary>
internal interface IUpdateRule
{
    /// <summary>Updates <paramref name="parameter"/> in place from <paramref name="gradient"/> (same length), with the
    /// hyper-parameters of its <paramref name="group"/>.</summary>
    void Update<T>(Parameter parameter, ReadOnlySpan<T> gradient, ParameterGroup group)
        where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>Runs an <see cref="IUpdateRule"/> at the parameter's element type.</summary>
internal static class UpdateRule
{
    public static void Apply<TRule>(TRule rule, Parameter parameter, Tensor gradient, ParameterGroup group)
        where TRule : IUpdateRule
    {
        if (parameter.DType == DType.Float32)
        {
            rule.Update(parameter, gradient.Values<float>(), group);
        }
        else
        {
            rule.Update(parameter, gradient.Values<double>(), group);
        }
    }
}
