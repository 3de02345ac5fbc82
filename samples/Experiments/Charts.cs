using ScottPlot;
using ScottPlot.TickGenerators;

namespace ExperimentsSample;

/// <summary>What the experiments' pictures share: the PNG size, log axes and a line w·x + b = 0 inside a box.</summary>
public static class Charts
{
    /// <summary>The width of every picture, in pixels.</summary>
    public const int Width = 800;

    /// <summary>The height of every picture, in pixels.</summary>
    public const int Height = 500;

    /// <summary>Writes <paramref name="plot"/> as <paramref name="name"/>.png in <paramref name="folder"/> (created if missing).</summary>
    /// <returns>The path written.</returns>
    public static string Save(Plot plot, string folder, string name)
    {
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, name + ".png");
        plot.SavePng(path, Width, Height);
        return path;
    }

    /// <summary>
    /// Labels an axis that shows log₁₀ of the data as powers of ten; ScottPlot 5 has no log scale, so the data are
    /// plotted as log₁₀ and the ticks relabelled.
    /// </summary>
    public static void LogTicks(IAxis axis)
    {
        axis.TickGenerator = new NumericAutomatic
        {
            LabelFormatter = exponent => $"1e{exponent:0}",
            MinorTickGenerator = new LogMinorTickGenerator(),
            IntegerTicksOnly = true,
        };
    }

    /// <summary>log₁₀ of each value, the form <see cref="LogTicks"/> expects.</summary>
    public static double[] Log10(IEnumerable<double> values) => [.. values.Select(Math.Log10)];

    /// <summary>
    /// The segment of the line w₀x + w₁y + b = 0 inside the box [lo, hi]², or null when w = 0 (no line): solved for y
    /// when the line is closer to horizontal, for x otherwise, so a steep line is not cut short.
    /// </summary>
    public static (Coordinates Start, Coordinates End)? Boundary(double w0, double w1, double b, double lo, double hi)
    {
        if (w0 == 0 && w1 == 0)
        {
            return null;
        }

        return Math.Abs(w1) >= Math.Abs(w0)
            ? (new Coordinates(lo, -(w0 * lo + b) / w1), new Coordinates(hi, -(w0 * hi + b) / w1))
            : (new Coordinates(-(w1 * lo + b) / w0, lo), new Coordinates(-(w1 * hi + b) / w0, hi));
    }
}
