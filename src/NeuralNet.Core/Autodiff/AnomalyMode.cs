namespace NeuralNet;

/// <summary>
/// Anomaly detection, per logical flow of execution (PyTorch's <c>detect_anomaly</c>): while on, every op's forward kernel checks
/// whether it turned finite inputs into NaN or ∞, and names the op, the shapes and, inside a backward pass, the op
/// whose derivative rule was running.
/// </summary>
internal static class AnomalyMode
{
    private static readonly AsyncLocal<int> s_depth = new();

    [ThreadStatic]
    private static string? t_backwardOf;

    public static bool IsEnabled => s_depth.Value > 0;

    public static IDisposable Enable()
    {
        int previous = s_depth.Value;
        s_depth.Value = previous + 1;
        return new Scope(() => s_depth.Value = previous);
    }

    /// <summary>Marks the op whose VJP runs now, for messages; restores the previous mark on dispose.</summary>
    public static IDisposable InBackwardOf(string op)
    {
        string? previous = t_backwardOf;
        t_backwardOf = op;
        return new Scope(() => t_backwardOf = previous);
    }

    /// <summary>Throws if <paramref name="output"/> has NaN or ∞ while every input is finite.</summary>
    public static void Check(Op op, Tensor[] inputs, Tensor output)
    {
        if (IsFinite(output) || !inputs.All(IsFinite))
        {
            return;
        }

        string where = t_backwardOf is null ? string.Empty : $" in the backward pass of {t_backwardOf}";
        string shapes = string.Join(", ", inputs.Select(x => x.Shape.ToString()));
        throw new ArithmeticException($"{op.Name}: produced NaN or infinity from finite inputs ({shapes}){where}.");
    }

    private static bool IsFinite(Tensor x) => x.Data is float[] f ? TP.IsFiniteAll<float>(f) : TP.IsFiniteAll<double>((double[])x.Data);

    private sealed class Scope(Action exit) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                exit();
            }
        }
    }
}
