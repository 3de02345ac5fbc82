using NeuralNet;
using NeuralNet.Optimizers;
using ScottPlot;

namespace ExperimentsSample;

/// <summary>One optimizer's run on Rosenbrock's function.</summary>
/// <param name="Name">The optimizer and its settings.</param>
/// <param name="Path">(x, y) before the first step and after every step.</param>
/// <param name="Distance">The final distance to the minimum (1, 1).</param>
/// <param name="Value">The final f(x, y).</param>
public sealed record RosenbrockRun(string Name, (double X, double Y)[] Path, double Distance, double Value);

/// <summary>What the Rosenbrock experiment found.</summary>
/// <param name="Runs">GradientDescent, Momentum, AdaGrad, RmsProp, Adam, in that order.</param>
/// <param name="Picture">The PNG written.</param>
public sealed record RosenbrockResult(RosenbrockRun[] Runs, string Picture);

/// <summary>
/// The optimizers on Rosenbrock's banana valley f(x, y) = (1 − x)² + 100(y − x²)² from (−1.5, 2): the valley's walls
/// are about 1000 times steeper than its floor, so a step small enough for the walls crawls along the floor.
/// </summary>
public static class RosenbrockExperiment
{
    /// <summary>The start.</summary>
    public static readonly (double X, double Y) Start = (-1.5, 2.0);

    /// <summary>Steps each optimizer gets.</summary>
    public const int Steps = 3000;

    /// <summary>
    /// The step of plain gradient descent and Momentum: the Hessian's largest eigenvalue along the path is about 2000
    /// (at x = −1.5), so gradient descent diverges above 2/2000 = 1e-3.
    /// </summary>
    public const double SmallStep = 4e-4;

    /// <summary>Momentum's μ: it multiplies the step along the flat floor by 1/(1 − μ) = 10.</summary>
    public const double MomentumCoefficient = 0.9;

    /// <summary>f(x, y) = (1 − x)² + 100(y − x²)².</summary>
    public static double F(double x, double y) => ((1 - x) * (1 - x)) + (100 * (y - (x * x)) * (y - (x * x)));

    /// <summary>Runs the experiment, writing its picture to <paramref name="folder"/> and its story to <paramref name="output"/>.</summary>
    public static RosenbrockResult Run(string folder, TextWriter output)
    {
        var optimizers = new (string Name, Func<Parameter, Optimizer> Make)[]
        {
            ($"GradientDescent {SmallStep}", p => new GradientDescent([p], SmallStep)),
            ($"Momentum {SmallStep}/{MomentumCoefficient}", p => new Momentum([p], SmallStep, MomentumCoefficient)),
            ("AdaGrad 0.5", p => new AdaGrad([p], learningRate: 0.5)),
            ("RmsProp 0.002", p => new RmsProp([p], learningRate: 0.002)),
            ("Adam 0.02", p => new Adam([p], learningRate: 0.02)),
        };
        output.WriteLine($"Rosenbrock's function from ({Start.X}, {Start.Y}), {Steps} steps each; distance to (1, 1) at the end:");
        var runs = new RosenbrockRun[optimizers.Length];
        for (int k = 0; k < optimizers.Length; k++)
        {
            runs[k] = Minimise(optimizers[k].Name, optimizers[k].Make);
            output.WriteLine($"  {runs[k].Name,-26} ({runs[k].Path[^1].X:F4}, {runs[k].Path[^1].Y:F4})  distance {runs[k].Distance:E2}  f {runs[k].Value:E2}");
        }

        return new RosenbrockResult(runs, Draw(runs, folder));
    }

    private static RosenbrockRun Minimise(string name, Func<Parameter, Optimizer> make)
    {
        var p = new Parameter(Tensor.FromArray([Start.X, Start.Y], 2), "p");
        Optimizer optimizer = make(p);
        var path = new (double X, double Y)[Steps + 1];
        path[0] = Start;
        for (int step = 1; step <= Steps; step++)
        {
            using (var tape = Tape.Record())
            {
                Tensor x = p.Slice(0, 0, 1), y = p.Slice(0, 1, 1);
                tape.Backward(((1.0 - x).Square() + (100.0 * (y - x.Square()).Square())).Sum());
            }

            optimizer.Step();
            optimizer.ZeroGrad();
            double[] xy = p.ToArray<double>();
            path[step] = (xy[0], xy[1]);
        }

        (double X, double Y) end = path[^1];
        return new RosenbrockRun(name, path, Math.Sqrt(((end.X - 1) * (end.X - 1)) + ((end.Y - 1) * (end.Y - 1))), F(end.X, end.Y));
    }

    private static string Draw(RosenbrockRun[] runs, string folder)
    {
        const double left = -2, right = 2, bottom = -1, top = 3;
        const int cells = 200;
        var grid = new Coordinates3d[cells, cells];
        for (int i = 0; i < cells; i++)
        {
            for (int j = 0; j < cells; j++)
            {
                double x = left + ((right - left) * j / (cells - 1));
                double y = bottom + ((top - bottom) * i / (cells - 1));
                // log₁₀(f + 0.01): even levels in the logarithm show the flat floor as well as the steep walls.
                grid[i, j] = new Coordinates3d(x, y, Math.Log10(F(x, y) + 0.01));
            }
        }

        var plot = new Plot();
        var contours = plot.Add.ContourLines(grid, 16);
        contours.LineColor = Colors.Gray;
        contours.LabelStyle.IsVisible = false;
        for (int k = 0; k < runs.Length; k++)
        {
            // Every 10th point keeps the picture light; the path is smooth at that spacing.
            (double X, double Y)[] points = [.. runs[k].Path.Where((_, i) => i % 10 == 0 || i == runs[k].Path.Length - 1)];
            var path = plot.Add.ScatterLine(points.Select(q => q.X).ToArray(), points.Select(q => q.Y).ToArray());
            path.LineWidth = 2;
            path.LegendText = $"{runs[k].Name}: distance {runs[k].Distance:G2}";
            // The paths share the valley floor; the end points tell them apart.
            plot.Add.Marker(runs[k].Path[^1].X, runs[k].Path[^1].Y, MarkerShape.FilledSquare, 10, path.Color);
        }

        plot.Add.Marker(Start.X, Start.Y, MarkerShape.FilledCircle, 10, Colors.Black);
        plot.Add.Marker(1, 1, MarkerShape.Asterisk, 14, Colors.Red);
        plot.Axes.SetLimits(left, right, bottom, top);
        plot.Title($"Rosenbrock's function, {Steps} steps from ({Start.X}, {Start.Y})");
        plot.XLabel("x");
        plot.YLabel("y");
        plot.ShowLegend(Alignment.LowerRight);
        return Charts.Save(plot, folder, "rosenbrock");
    }
}
