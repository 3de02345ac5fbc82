using NeuralNet;
using NeuralNet.Layers;
using ScottPlot;

namespace ExperimentsSample;

/// <summary>What the perceptron experiment found.</summary>
/// <param name="Mistakes">Mistakes per epoch; the last is 0 once the blobs are separated.</param>
/// <param name="Weight">The learned w.</param>
/// <param name="Bias">The learned b.</param>
/// <param name="TrainingAccuracy">The fraction of points the learned line classifies correctly.</param>
/// <param name="Pictures">The PNGs written: the points with the boundary, and the mistakes per epoch.</param>
public sealed record PerceptronExperimentResult(int[] Mistakes, double[] Weight, double Bias, double TrainingAccuracy, string[] Pictures);

/// <summary>Rosenblatt's perceptron on two linearly separable Gaussian blobs: the mistakes fall to 0 (Novikoff).</summary>
public static class PerceptronExperiment
{
    /// <summary>The seed of the blobs the experiment draws.</summary>
    public const int Seed = 7;

    /// <summary>Points per blob.</summary>
    public const int PointsPerClass = 50;

    /// <summary>Class 0's centre is (Low, Low), class 1's (High, High): off the origin, so the bias has to be learned too.</summary>
    public const double Low = 1.0;

    /// <summary>Class 1's centre is (High, High).</summary>
    public const double High = 4.0;

    /// <summary>
    /// Each coordinate's standard deviation: the centres lie 1.5√2/0.75 ≈ 2.8 standard deviations from the line
    /// midway between them, so the blobs are separable (the perceptron reaching 0 mistakes proves it for the seed).
    /// </summary>
    public const double Spread = 0.75;

    /// <summary>The most epochs the perceptron gets.</summary>
    public const int Epochs = 100;

    /// <summary>The two blobs, class 0 around (Low, Low) and class 1 around (High, High), in alternating order.</summary>
    public static (Tensor Inputs, int[] Labels) Blobs(int seed)
    {
        // N(0, Spread²) offsets, each row moved to its class's centre
        double[] values = Tensor.RandomNormal([2 * PointsPerClass, 2], seed, std: Spread, dtype: DType.Float64).ToArray<double>();
        int[] labels = [.. Enumerable.Range(0, 2 * PointsPerClass).Select(i => i % 2)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] += labels[i / 2] == 0 ? Low : High;
        }

        return (Tensor.FromArray(values, labels.Length, 2), labels);
    }

    /// <summary>Runs the experiment, writing its pictures to <paramref name="folder"/> and its story to <paramref name="output"/>.</summary>
    public static PerceptronExperimentResult Run(string folder, TextWriter output)
    {
        (Tensor x, int[] y) = Blobs(Seed);
        var perceptron = new Perceptron(2);
        int[] mistakes = perceptron.Fit(x, y, Epochs, learningRate: 1.0);
        double[] w = perceptron.Weight.ToArray<double>();
        double b = perceptron.Bias.Item();
        int[] predicted = perceptron.Predict(x);
        double accuracy = predicted.Zip(y).Count(p => p.First == p.Second) / (double)y.Length;
        output.WriteLine($"Two Gaussian blobs ({PointsPerClass} points each, centres ({Low}, {Low}) and ({High}, {High}), standard deviation {Spread}), rule w <- w + (y - yhat) x:");
        output.WriteLine($"  mistakes per epoch: {string.Join(" ", mistakes)}");
        output.WriteLine($"  w = [{w[0]:F3}, {w[1]:F3}], b = {b:F3}; training accuracy {accuracy:P1}");

        string points = PlotPoints(x.ToArray<double>(), y, w, b, folder);
        string curve = PlotMistakes(mistakes, folder);
        return new PerceptronExperimentResult(mistakes, w, b, accuracy, [points, curve]);
    }

    private static string PlotPoints(double[] xy, int[] labels, double[] w, double b, string folder)
    {
        var plot = new Plot();
        for (int label = 0; label <= 1; label++)
        {
            int[] rows = [.. Enumerable.Range(0, labels.Length).Where(i => labels[i] == label)];
            var points = plot.Add.ScatterPoints(rows.Select(i => xy[2 * i]).ToArray(), rows.Select(i => xy[(2 * i) + 1]).ToArray());
            points.LegendText = $"class {label}";
            points.MarkerSize = 7;
        }

        const double lo = -1.5, hi = 6.5;
        if (Charts.Boundary(w[0], w[1], b, lo, hi) is (Coordinates start, Coordinates end))
        {
            var line = plot.Add.Line(start, end);
            line.LineWidth = 2;
            line.LineColor = Colors.Black;
            line.LegendText = "learned boundary w·x + b = 0";
        }

        plot.Axes.SetLimits(lo, hi, lo, hi);
        plot.Title("Perceptron on two Gaussian blobs");
        plot.XLabel("x₁");
        plot.YLabel("x₂");
        plot.ShowLegend(Alignment.UpperLeft);
        return Charts.Save(plot, folder, "perceptron");
    }

    private static string PlotMistakes(int[] mistakes, string folder)
    {
        var plot = new Plot();
        double[] epochs = [.. Enumerable.Range(1, mistakes.Length).Select(e => (double)e)];
        var curve = plot.Add.Scatter(epochs, [.. mistakes.Select(m => (double)m)]);
        curve.LineWidth = 2;
        curve.MarkerSize = 8;
        plot.Axes.Bottom.SetTicks(epochs, [.. epochs.Select(e => $"{e}")]);
        plot.Axes.SetLimitsY(-0.5, mistakes.Max() + 1);
        plot.Title("Perceptron: mistakes per epoch");
        plot.XLabel("epoch");
        plot.YLabel("mistakes (updates)");
        return Charts.Save(plot, folder, "perceptron-mistakes");
    }
}
