using System.Globalization;

namespace NeuralNet.Optimizers;

/// <summary>Checks hyper-parameters at construction, with messages naming the optimizer, the parameter and the value.</summary>
internal static class Hyperparameter
{
    /// <summary>A finite value ≥ 0 (learning rates, weight decay).</summary>
    public static double NonNegative(object optimizer, string name, double value) =>
        double.IsFinite(value) && value >= 0
            ? value
            : throw Refuse(optimizer, name, value, "must be non-negative and finite");

    /// <summary>A finite value &gt; 0 (epsilon).</summary>
    public static double Positive(object optimizer, string name, double value) =>
        double.IsFinite(value) && value > 0
            ? value
            : throw Refuse(optimizer, name, value, "must be positive and finite");

    /// <summary>A value in [0, 1) (momentum, decay rates).</summary>
    public static double UnitInterval(object optimizer, string name, double value) =>
        value is >= 0 and < 1
            ? value
            : throw Refuse(optimizer, name, value, "must be in [0, 1)");

    /// <summary>Renders a hyper-parameter the same way everywhere (round-trip, invariant culture).</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static ArgumentOutOfRangeException Refuse(object optimizer, string name, double value, string rule) =>
        new(name, $"{optimizer.GetType().Name}: {name} {Format(value)} {rule}.");
}
