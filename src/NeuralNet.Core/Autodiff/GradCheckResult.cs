using System.Globalization;
using System.Text;

namespace NeuralNet;

/// <summary>
/// The outcome of <see cref="Autodiff.GradCheck(Func{Tensor[], Tensor}, Tensor[], double, double, int)"/>: for each
/// input, the worst relative error of the VJP and of the JVP against finite differences.
/// </summary>
public sealed class GradCheckResult
{
    internal GradCheckResult(double[] vjpErrors, double[] jvpErrors, double tolerance)
    {
        VjpErrors = vjpErrors;
        JvpErrors = jvpErrors;
        Tolerance = tolerance;
    }

    /// <summary>Per input, the worst |a − b| / max(1, |a|, |b|) between the VJP and finite differences.</summary>
    public IReadOnlyList<double> VjpErrors { get; }

    /// <summary>Per input, the worst |a − b| / max(1, |a|, |b|) between the JVP and finite differences.</summary>
    public IReadOnlyList<double> JvpErrors { get; }

    /// <summary>The largest error that passes.</summary>
    public double Tolerance { get; }

    /// <summary>The worst error over all inputs and both modes (NaN if any error is NaN).</summary>
    public double MaxError => VjpErrors.Concat(JvpErrors).Aggregate(0.0, Math.Max);

    /// <summary>Whether every error is within <see cref="Tolerance"/> (false when any is NaN).</summary>
    public bool Passed => MaxError <= Tolerance;

    /// <summary>A one-line summary: <c>GradCheck passed (tolerance 1E-06): input 0: VJP 2.1E-10, JVP 3.0E-11</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder("GradCheck ")
            .Append(Passed ? "passed" : "FAILED")
            .Append(CultureInfo.InvariantCulture, $" (tolerance {Tolerance:G3})");
        for (int i = 0; i < VjpErrors.Count; i++)
        {
            sb.Append(i == 0 ? ": " : "; ")
              .Append(CultureInfo.InvariantCulture, $"input {i}: VJP {VjpErrors[i]:G3}, JVP {JvpErrors[i]:G3}");
        }

        return sb.ToString();
    }
}
