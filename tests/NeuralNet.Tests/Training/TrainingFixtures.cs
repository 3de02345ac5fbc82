namespace NeuralNet.Tests.Training;

using NeuralNet;
using NeuralNet.Layers;
using NeuralNet.Optimizers;

/// <summary>y = w·x with one weight.</summary>
internal sealed class Scale : Module
{
    private readonly Parameter _w;

    public Scale(double initial = 0.0) => _w = RegisterParameter("w", new(Tensor.FromArray([initial], 1, 1), "w"));

    public double Weight => _w.Item();

    public override Tensor Forward(Tensor input) => input.MatMul(_w);
}

/// <summary>Sets the parameter to the next scripted value at every step.</summary>
internal sealed class ScriptedOptimizer(IEnumerable<Parameter> parameters, double[] values) : Optimizer(parameters, 1.0)
{
    private int _next;

    protected override void Update(Parameter parameter, Tensor gradient, ParameterGroup group) =>
        parameter.Assign(Tensor.FromArray([values[_next++]], 1, 1));
}

/// <summary>Small data sets and losses the training tests share.</summary>
internal static class TrainingData
{
    /// <summary>The mean squared error, as a loss of (prediction, target).</summary>
    public static Tensor Mse(Tensor prediction, Tensor target) => Losses.MeanSquaredError(prediction, target);

    /// <summary><paramref name="rows"/> rows of <paramref name="columns"/> features uniform in [−1, 1), seeded.</summary>
    public static double[,] Uniform(int rows, int columns, int seed)
    {
        var random = new Random(seed);
        var x = new double[rows, columns];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                x[i, j] = 2 * random.NextDouble() - 1;
            }
        }

        return x;
    }

    /// <summary>A column tensor [n, 1] of <paramref name="values"/>.</summary>
    public static Tensor Column(params double[] values) => Tensor.FromArray(values, values.Length, 1);
}
