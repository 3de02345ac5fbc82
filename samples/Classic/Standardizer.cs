using NeuralNet;
using NeuralNet.Data;

namespace ClassicSample;

/// <summary>
/// Shifts and scales each column to mean 0 and standard deviation 1, with the statistics of the training set
/// (applied unchanged to the test set, so nothing about the test set leaks into training).
/// </summary>
public sealed class Standardizer
{
    /// <summary>Computes the per-column mean and (population) standard deviation of <paramref name="x"/>, [n, features].</summary>
    public Standardizer(Tensor x)
    {
        Mean = x.Mean(0, keepDims: true);
        StandardDeviation = x.StandardDeviation(0, keepDims: true);
    }

    /// <summary>The column means, [1, features].</summary>
    public Tensor Mean { get; }

    /// <summary>The column standard deviations, [1, features].</summary>
    public Tensor StandardDeviation { get; }

    /// <summary>(x − mean) / std, column by column.</summary>
    public Tensor Apply(Tensor x) => (x - Mean) / StandardDeviation;

    /// <summary>The data set with standardized inputs and the same labels.</summary>
    public Dataset Apply(Dataset data) => new(Apply(data.Inputs), data.Labels);
}

/// <summary>Where the data sets are and small helpers the demos share.</summary>
public static class ClassicData
{
    /// <summary>Loads one of the scikit-learn CSV files from <paramref name="directory"/>.</summary>
    public static Dataset Load(string directory, string file, DType dtype = DType.Float64) =>
        SklearnCsv.Load(Path.Combine(directory, file), dtype);

    /// <summary>Labels as a [n, 1] Float64 column of 0/1 (or any mapping) values, as BCE and MSE targets want.</summary>
    public static Tensor Column(IEnumerable<double> values)
    {
        double[] v = [.. values];
        return Tensor.FromArray(v, v.Length, 1);
    }

    /// <summary>The fraction of positions where the two arrays agree.</summary>
    public static double Agreement(int[] predicted, int[] labels)
    {
        int correct = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            correct += predicted[i] == labels[i] ? 1 : 0;
        }

        return (double)correct / labels.Length;
    }
}
