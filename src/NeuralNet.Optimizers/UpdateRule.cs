using System.Numerics;

namespace NeuralNet.Optimizers;

/// <summary>An update rule written once for both element types.</summary>
internal interface IUpdateRule
{
    /// <summary>Updates <paramref name="parameter"/> in place from <paramref name="gradient"/> (same length).</summary>
    void Update<T>(Parameter parameter, ReadOnlySpan<T> gradient, double learningRate)
        where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>Runs an <see cref="IUpdateRule"/> at the parameter's element type.</summary>
internal static class UpdateRule
{
    public static void Apply<TRule>(TRule rule, Parameter parameter, Tensor gradient, double learningRate)
        where TRule : IUpdateRule
    {
        if (parameter.DType == DType.Float32)
        {
            rule.Update(parameter, gradient.Values<float>(), learningRate);
        }
        else
        {
            rule.Update(parameter, gradient.Values<double>(), learningRate);
        }
    }
}
