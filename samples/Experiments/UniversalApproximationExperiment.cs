using NeuralNet;
using NeuralNet.Layers;
using NeuralNet.Optimizers;
using NeuralNet.Optimizers.Schedules;
using ScottPlot;

namespace ExperimentsSample;

/// <summary>What the universal-approximation experiment found.</summary>
/// <param name="Widths">The hidden widths tried.</param>
/// <param name="Errors">The final training mean squared error of each width.</param>
/// <param name="Pictures">The PNGs written: the fits, and the error against width.</param>
public sealed record UniversalApproximationResult(int[] Widths, double[] Errors, string[] Pictures);

/// <summary>
/// One hidden tanh layer of growing width fitting sin(2πx) on [−1, 1]: each unit adds one bend, so the error falls
/// with the width (Cybenko 1989; Hornik 1991).
/// </summary>
public static class UniversalApproximationExperiment
{
    /// <summary>The widths the sample tries.</summary>
    public static readonly int[] DefaultWidths = [1, 2, 4, 8, 16, 32];

    /// <summary>The number of evenly spaced training points on [−1, 1].</summary>
    public const int Points = 64;

    /// <summary>The function fitted.</summary>
    public static double Target(double x) => Math.Sin(2 * Math.PI * x);

    /// <summary>Runs the experiment, writing its pictures to <paramref name="folder"/> and its story to <paramref name="output"/>.</summary>
    /// <param name="folder">Where the PNGs go.</param>
    /// <param name="output">Where the story goes.</param>
    /// <param name="widths">The hidden widths; <see cref="DefaultWidths"/> when null.</param>
    /// <param name="steps">Full-batch Adam steps per width, over which the rate anneals from 0.01 to 0.</param>
    public static UniversalApproximationResult Run(string folder, TextWriter output, int[]? widths = null, int steps = 3000)
    {
        widths ??= DefaultWidths;
        double[] xs = [.. Enumerable.Range(0, Points).Select(i => -1 + (2.0 * i / (Points - 1)))];
        Tensor x = Tensor.FromArray(xs, Points, 1);
        Tensor y = Tensor.FromArray([.. xs.Select(Target)], Points, 1);
        var errors = new double[widths.Length];
        var fits = new double[widths.Length][];
        output.WriteLine($"One hidden tanh layer fitting sin(2 pi x) on {Points} points in [-1, 1], full-batch Adam 0.01 annealed to 0 (cosine), {steps} steps:");
        for (int k = 0; k < widths.Length; k++)
        {
            var model = new Sequential(
                new Dense(1, widths[k], dtype: DType.Float64, seed: 10 + k), new Tanh(),
                new Dense(widths[k], 1, dtype: DType.Float64, seed: 20 + k));
            var optimizer = new Adam(model.Parameters, learningRate: 0.01);
            // Annealing the rate to 0 lets Adam settle into its minimum instead of jittering around it at 1e-4.
            var schedule = new CosineAnnealingLR(optimizer, tMax: steps);
            for (int step = 0; step < steps; step++)
            {
                using (var tape = Tape.Record())
                {
                    tape.Backward(Losses.MeanSquaredError(model.Forward(x), y));
                }

                optimizer.Step();
                optimizer.ZeroGrad();
                schedule.Step();
            }

            Tensor prediction = model.Forward(x);
            errors[k] = Losses.MeanSquaredError(prediction, y).Item();
            fits[k] = prediction.ToArray<double>();
            output.WriteLine($"  width {widths[k],3}: training MSE {errors[k]:E2}");
        }

        string fitPicture = PlotFits(xs, widths, fits, folder);
        string errorPicture = PlotErrors(widths, errors, folder);
        return new UniversalApproximationResult([.. widths], errors, [fitPicture, errorPicture]);
    }

    private static string PlotFits(double[] xs, int[] widths, double[][] fits, string folder)
    {
        var plot = new Plot();
        var target = plot.Add.ScatterPoints(xs, [.. xs.Select(Target)]);
        target.Color = Colors.Black;
        target.MarkerSize = 5;
        target.LegendText = "sin(2πx)";
        for (int k = 0; k < widths.Length; k++)
        {
            var fit = plot.Add.ScatterLine(xs, fits[k]);
            fit.LineWidth = 2;
            fit.LegendText = $"width {widths[k]}";
        }

        plot.Title("One hidden tanh layer of growing width");
        plot.XLabel("x");
        plot.YLabel("y");
        plot.ShowLegend(Alignment.LowerLeft);
        return Charts.Save(plot, folder, "universal-approximation");
    }

    private static string PlotErrors(int[] widths, double[] errors, string folder)
    {
        var plot = new Plot();
        var curve = plot.Add.Scatter(Charts.Log10(widths.Select(w => (double)w)), Charts.Log10(errors));
        curve.LineWidth = 2;
        curve.MarkerSize = 8;
        plot.Axes.Bottom.SetTicks(Charts.Log10(widths.Select(w => (double)w)), [.. widths.Select(w => $"{w}")]);
        Charts.LogTicks(plot.Axes.Left);
        plot.Title("Final training MSE against hidden width");
        plot.XLabel("hidden units");
        plot.YLabel("training MSE");
        return Charts.Save(plot, folder, "universal-approximation-error");
    }
}
