using NeuralNet;
using NeuralNet.Layers;
using NeuralNet.Optimizers;
using ScottPlot;

namespace ExperimentsSample;

/// <summary>The gradient norms of one deep network.</summary>
/// <param name="Activation">The hidden activation: sigmoid, tanh or relu.</param>
/// <param name="AtInitialisation">‖∂L/∂W_l‖ (Frobenius) of each hidden layer l = 1…Depth, before training.</param>
/// <param name="AfterTraining">The same after the training steps.</param>
/// <param name="Losses">The loss before and after training.</param>
public sealed record GradientProfile(string Activation, double[] AtInitialisation, double[] AfterTraining, double[] Losses)
{
    /// <summary>‖∂L/∂W₁‖ / ‖∂L/∂W_Depth‖ at initialisation: how much of the gradient reaches the first layer.</summary>
    public double FirstToLastRatio => AtInitialisation[0] / AtInitialisation[^1];
}

/// <summary>What the vanishing-gradients experiment found.</summary>
/// <param name="Profiles">One profile per activation: sigmoid, tanh, relu.</param>
/// <param name="Picture">The PNG written.</param>
public sealed record VanishingGradientsResult(GradientProfile[] Profiles, string Picture);

/// <summary>
/// Ten hidden layers of width 32: with sigmoid (σ′ ≤ 1/4) the gradient shrinks at every layer on the way back
/// (Glorot &amp; Bengio 2010); ReLU with He initialisation keeps its scale (He et al. 2015).
/// </summary>
public static class VanishingGradientsExperiment
{
    /// <summary>Hidden layers.</summary>
    public const int Depth = 10;

    /// <summary>Units per hidden layer, and input features.</summary>
    public const int Width = 32;

    /// <summary>Samples in the batch.</summary>
    public const int Samples = 128;

    /// <summary>Runs the experiment, writing its picture to <paramref name="folder"/> and its story to <paramref name="output"/>.</summary>
    /// <param name="folder">Where the PNG goes.</param>
    /// <param name="output">Where the story goes.</param>
    /// <param name="steps">Full-batch gradient-descent steps between the two measurements.</param>
    public static VanishingGradientsResult Run(string folder, TextWriter output, int steps = 200)
    {
        (Tensor x, Tensor y) = Data(seed: 5);
        output.WriteLine($"{Depth} hidden layers of width {Width}, MSE on y = sin(x.v), {Samples} samples; ||dL/dW_l|| per layer:");
        GradientProfile[] profiles =
        [
            Profile("sigmoid", () => new Sigmoid(), Initializers.XavierUniform, 1.0, x, y, steps),
            Profile("tanh", () => new Tanh(), Initializers.XavierUniform, 1.0, x, y, steps),
            Profile("relu", () => new ReLU(), Initializers.KaimingNormal, Initializers.ReluGain, x, y, steps),
        ];
        foreach (GradientProfile profile in profiles)
        {
            output.WriteLine($"  {profile.Activation,-7} at init: {string.Join(" ", profile.AtInitialisation.Select(g => $"{g:E1}"))}");
            output.WriteLine($"  {"",-7} first/last {profile.FirstToLastRatio:E2}; loss {profile.Losses[0]:F4} -> {profile.Losses[1]:F4} after {steps} steps");
        }

        return new VanishingGradientsResult(profiles, Draw(profiles, folder));
    }

    /// <summary>Standard normal inputs [Samples, Width] and targets sin(x·v) for a fixed unit vector v.</summary>
    public static (Tensor Inputs, Tensor Targets) Data(int seed)
    {
        double[] inputs = Tensor.RandomNormal([Samples, Width], seed, dtype: DType.Float64).ToArray<double>();
        double[] v = Tensor.RandomNormal([Width], seed + 1, dtype: DType.Float64).ToArray<double>();
        double norm = Math.Sqrt(v.Sum(c => c * c));
        double[] targets = [.. Enumerable.Range(0, Samples).Select(i => Math.Sin(Enumerable.Range(0, Width).Sum(j => inputs[(i * Width) + j] * v[j]) / norm))];
        return (Tensor.FromArray(inputs, Samples, Width), Tensor.FromArray(targets, Samples, 1));
    }

    private static GradientProfile Profile(string name, Func<Module> activation, WeightInitializer init, double gain, Tensor x, Tensor y, int steps)
    {
        var layers = new List<Module>();
        for (int l = 0; l < Depth; l++)
        {
            layers.Add(new Dense(Width, Width, dtype: DType.Float64));
            layers.Add(activation());
        }

        layers.Add(new Dense(Width, 1, dtype: DType.Float64));
        var model = new Sequential([.. layers]);
        Initializers.Initialize(model, init, gain, seed: 1);
        Dense[] hidden = [.. model.Modules.OfType<Dense>().Take(Depth)];
        var optimizer = new GradientDescent(model.Parameters, learningRate: 0.1);

        double before = Backward(model, x, y);
        double[] atInit = Norms(hidden);
        double after = before;
        for (int step = 0; step < steps; step++)
        {
            // Each step leaves the gradients of the updated weights behind, so the last are those after training.
            optimizer.Step();
            optimizer.ZeroGrad();
            after = Backward(model, x, y);
        }

        return new GradientProfile(name, atInit, Norms(hidden), [before, after]);
    }

    private static double Backward(Module model, Tensor x, Tensor y)
    {
        using var tape = Tape.Record();
        Tensor loss = Losses.MeanSquaredError(model.Forward(x), y);
        tape.Backward(loss);
        return loss.Item();
    }

    private static double[] Norms(Dense[] layers) =>
        [.. layers.Select(d => Math.Sqrt(d.Weight.Grad!.ToArray<double>().Sum(g => g * g)))];

    private static string Draw(GradientProfile[] profiles, string folder)
    {
        var plot = new Plot();
        double[] layers = [.. Enumerable.Range(1, Depth).Select(l => (double)l)];
        Color[] colors = [Colors.C0, Colors.C1, Colors.C2];
        for (int k = 0; k < profiles.Length; k++)
        {
            var init = plot.Add.Scatter(layers, Charts.Log10(profiles[k].AtInitialisation));
            init.Color = colors[k];
            init.LineWidth = 2;
            init.LegendText = $"{profiles[k].Activation}, at initialisation";
            var trained = plot.Add.Scatter(layers, Charts.Log10(profiles[k].AfterTraining));
            trained.Color = colors[k];
            trained.LineWidth = 2;
            trained.LinePattern = LinePattern.Dashed;
            trained.MarkerShape = MarkerShape.OpenCircle;
            trained.LegendText = $"{profiles[k].Activation}, after training";
        }

        Charts.LogTicks(plot.Axes.Left);
        plot.Axes.Bottom.SetTicks(layers, [.. layers.Select(l => $"{l}")]);
        plot.Title($"Per-layer gradient norms, {Depth} hidden layers of width {Width}");
        plot.XLabel("hidden layer (1 = nearest the input)");
        plot.YLabel("‖∂L/∂W_l‖");
        plot.ShowLegend(Edge.Right);
        return Charts.Save(plot, folder, "vanishing-gradients");
    }
}
