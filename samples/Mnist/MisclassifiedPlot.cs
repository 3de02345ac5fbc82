using NeuralNet.Data;
using ScottPlot;

namespace MnistSample;

/// <summary>Draws misclassified digits in a grid, each labelled "true→predicted".</summary>
public static class MisclassifiedPlot
{
    private const int Side = 28;

    // Plot units per cell: a digit is 1 × 1, with room beside it and for its label below.
    private const double CellWidth = 1.15;
    private const double CellHeight = 1.45;

    /// <summary>Writes the grid to a PNG file, row by row in the order of <paramref name="indices"/>.</summary>
    /// <param name="test">The images and their labels.</param>
    /// <param name="indices">The images to show.</param>
    /// <param name="predictions">The predicted class of every image of <paramref name="test"/>.</param>
    /// <param name="columns">Digits per row.</param>
    /// <param name="path">The PNG file to write.</param>
    public static void Save(Dataset test, int[] indices, int[] predictions, int columns, string path)
    {
        int rows = Math.Max(1, (indices.Length + columns - 1) / columns);
        var plot = new Plot();
        float[] pixels = test.Inputs.ToArray<float>();
        for (int k = 0; k < indices.Length; k++)
        {
            int index = indices[k];
            double left = k % columns * CellWidth;
            double top = -(k / columns) * CellHeight;
            var digit = plot.Add.Heatmap(Image(pixels, index));
            digit.Colormap = new ScottPlot.Colormaps.Grayscale();
            digit.Extent = new CoordinateRect(left, left + 1, top - 1, top);
            var label = plot.Add.Text($"{test.Labels[index]}→{predictions[index]}", left + 0.5, top - 1.02);
            label.Alignment = Alignment.UpperCenter;
            label.LabelFontSize = 15;
        }

        plot.HideAxesAndGrid();
        plot.Title($"{indices.Length} misclassified test digits (true→predicted)");
        plot.Axes.SetLimits(-0.1, columns * CellWidth, -rows * CellHeight, 0.05);
        plot.SavePng(path, 800, (int)(800 * rows * CellHeight / (columns * CellWidth)) + 60);
    }

    // Ink is white on black in MNIST; inverted, the digits read as pen on paper.
    private static double[,] Image(float[] pixels, int index)
    {
        var image = new double[Side, Side];
        for (int r = 0; r < Side; r++)
        {
            for (int c = 0; c < Side; c++)
            {
                image[r, c] = 1 - pixels[(index * Side * Side) + (r * Side) + c];
            }
        }

        return image;
    }
}
