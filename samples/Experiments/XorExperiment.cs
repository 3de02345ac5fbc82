using NeuralNet;
using NeuralNet.Layers;
using NeuralNet.Optimizers;
using ScottPlot;

namespace ExperimentsSample;

/// <summary>What the XOR experiment found.</summary>
/// <param name="PerceptronMistakes">The perceptron's mistakes per epoch, for every epoch run; never 0.</param>
/// <param name="PerceptronAccuracy">The fraction of the 4 points the perceptron's final line gets right.</param>
/// <param name="NetworkLosses">The 2-2-1 network's cross-entropy before training and after each of its steps.</param>
/// <param name="NetworkOutputs">The trained network's σ(output) for (0,0), (0,1), (1,0), (1,1).</param>
/// <param name="Picture">The PNG written.</param>
public sealed record XorExperimentResult(int[] PerceptronMistakes, double PerceptronAccuracy, double[] NetworkLosses, double[] NetworkOutputs, string Picture);

/// <summary>XOR: no line separates it, so the perceptron never stops making mistakes; two tanh hidden units do.</summary>
public static class XorExperiment
{
    /// <summary>Epochs the perceptron gets.</summary>
    public const int PerceptronEpochs = 20;

    /// <summary>Adam steps the 2-2-1 network gets.</summary>
    public const int NetworkSteps = 500;

    /// <summary>The four inputs (0,0), (0,1), (1,0), (1,1).</summary>
    public static Tensor Inputs => Tensor.FromArray([0.0, 0, 0, 1, 1, 0, 1, 1], 4, 2);

    /// <summary>XOR of each input.</summary>
    public static int[] Labels => [0, 1, 1, 0];

    /// <summary>Runs the experiment, writing its picture to <paramref name="folder"/> and its story to <paramref name="output"/>.</summary>
    public static XorExperimentResult Run(string folder, TextWriter output)
    {
        Tensor x = Inputs;
        var perceptron = new Perceptron(2);
        int[] mistakes = perceptron.Fit(x, Labels, PerceptronEpochs);
        double accuracy = perceptron.Predict(x).Zip(Labels).Count(p => p.First == p.Second) / 4.0;
        output.WriteLine($"Perceptron on XOR: mistakes per epoch {string.Join(" ", mistakes)}; final line right on {accuracy:P0} of the points");

        // 2-2-1, tanh, trained on the cross-entropy of its logit: the smallest network that can represent XOR.
        var network = new Sequential(
            new Dense(2, 2, dtype: DType.Float64, seed: 3), new Tanh(),
            new Dense(2, 1, dtype: DType.Float64, seed: 4));
        Tensor targets = Tensor.FromArray([.. Labels.Select(l => (double)l)], 4, 1);
        var optimizer = new Adam(network.Parameters, learningRate: 0.1);
        var losses = new List<double>();
        for (int step = 0; step < NetworkSteps; step++)
        {
            using (var tape = Tape.Record())
            {
                Tensor loss = Losses.BinaryCrossEntropyWithLogits(network.Forward(x), targets);
                losses.Add(loss.Item());
                tape.Backward(loss);
            }

            optimizer.Step();
            optimizer.ZeroGrad();
        }

        losses.Add(Losses.BinaryCrossEntropyWithLogits(network.Forward(x), targets).Item());
        double[] outputs = network.Forward(x).Sigmoid().ToArray<double>();
        output.WriteLine($"2-2-1 tanh network, Adam 0.1: loss {losses[0]:F4} -> {losses[^1]:F6} in {NetworkSteps} steps");
        output.WriteLine($"  sigma(output) for (0,0) (0,1) (1,0) (1,1): {string.Join("  ", outputs.Select(o => $"{o:F4}"))}");

        string picture = Draw(network, perceptron, folder);
        return new XorExperimentResult(mistakes, accuracy, [.. losses], outputs, picture);
    }

    private static string Draw(Sequential network, Perceptron perceptron, string folder)
    {
        const double lo = -0.5, hi = 1.5;
        const int cells = 100;
        double cell = (hi - lo) / cells;
        var grid = new double[cells * cells * 2];
        for (int row = 0; row < cells; row++)
        {
            for (int column = 0; column < cells; column++)
            {
                // Row 0 is the heatmap's top row: the largest y.
                grid[2 * ((row * cells) + column)] = lo + ((column + 0.5) * cell);
                grid[(2 * ((row * cells) + column)) + 1] = hi - ((row + 0.5) * cell);
            }
        }

        double[] probability = network.Forward(Tensor.FromArray(grid, cells * cells, 2)).Sigmoid().ToArray<double>();
        var intensities = new double[cells, cells];
        for (int row = 0; row < cells; row++)
        {
            for (int column = 0; column < cells; column++)
            {
                intensities[row, column] = probability[(row * cells) + column];
            }
        }

        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(intensities);
        heatmap.Extent = new CoordinateRect(lo, hi, lo, hi);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        plot.Add.ColorBar(heatmap).Label = "network σ(output)";

        double[] xy = Inputs.ToArray<double>();
        for (int label = 0; label <= 1; label++)
        {
            int[] rows = [.. Enumerable.Range(0, 4).Where(i => Labels[i] == label)];
            var points = plot.Add.ScatterPoints(rows.Select(i => xy[2 * i]).ToArray(), rows.Select(i => xy[(2 * i) + 1]).ToArray());
            points.MarkerSize = 14;
            points.MarkerShape = label == 0 ? MarkerShape.FilledCircle : MarkerShape.FilledSquare;
            points.Color = label == 0 ? Colors.DeepSkyBlue : Colors.OrangeRed;
            points.LegendText = $"XOR = {label}";
        }

        double[] w = perceptron.Weight.ToArray<double>();
        if (Charts.Boundary(w[0], w[1], perceptron.Bias.Item(), lo, hi) is (Coordinates start, Coordinates end))
        {
            var line = plot.Add.Line(start, end);
            line.LineWidth = 3;
            line.LineColor = Colors.Red;
            line.LinePattern = LinePattern.Dashed;
            line.LegendText = "perceptron's final line";
        }

        plot.Axes.SetLimits(lo, hi, lo, hi);
        plot.Title("XOR: the perceptron's line vs a 2-2-1 tanh network");
        plot.XLabel("x₁");
        plot.YLabel("x₂");
        plot.ShowLegend(Alignment.UpperCenter);
        return Charts.Save(plot, folder, "xor");
    }
}
