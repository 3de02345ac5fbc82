using ScottPlot;

namespace MnistSample;

/// <summary>Draws the loss and accuracy curves of a run side by side, training and validation.</summary>
public static class CurvesPlot
{
    /// <summary>Writes the two panels to a PNG file.</summary>
    /// <param name="curves">The per-epoch numbers.</param>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="width">The image's width in pixels.</param>
    /// <param name="height">The image's height in pixels.</param>
    public static void Save(TrainingCurves curves, string path, int width = 800, int height = 500)
    {
        var figure = new Multiplot();
        figure.AddPlots(2);
        figure.Layout = new ScottPlot.MultiplotLayouts.Columns();
        // The legends go where the curves are not: loss falls to the lower right, accuracy rises to the upper right.
        Panel(figure.GetPlot(0), curves.Epochs, "loss", curves.TrainLoss, curves.ValidationLoss, Alignment.UpperRight);
        Panel(figure.GetPlot(1), curves.Epochs, "accuracy", curves.TrainAccuracy, curves.ValidationAccuracy, Alignment.LowerRight);
        figure.SavePng(path, width, height);
    }

    private static void Panel(Plot plot, double[] epochs, string quantity, double[] train, double[] validation, Alignment legend)
    {
        Line(plot, epochs, train, "train");
        Line(plot, epochs, validation, "validation (test set)");
        plot.Title($"MNIST {quantity} per epoch");
        plot.XLabel("epoch");
        plot.YLabel(quantity);
        // Whole epochs only: a run of a few epochs would otherwise get ticks at 1.5, 2.5, ...
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(1);
        plot.ShowLegend(legend);
    }

    private static void Line(Plot plot, double[] epochs, double[] values, string label)
    {
        var line = plot.Add.Scatter(epochs, values);
        line.LegendText = label;
        line.LineWidth = 2;
        line.MarkerSize = 7;
    }
}
