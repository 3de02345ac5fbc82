namespace NeuralNet.Tests.Data;

using NeuralNet;
using NeuralNet.Data;

public class TensorDatasetTests
{
    // Row i is (i, 10i) with target 100i, so any batch or split can be checked row by row.
    private static TensorDataset Rows(int n) => new(
        Tensor.FromArray([.. Enumerable.Range(0, n).SelectMany(i => new[] { i, 10.0 * i })], n, 2),
        Tensor.FromArray([.. Enumerable.Range(0, n).Select(i => 100.0 * i)], n, 1));

    [Fact]
    public void BatchesKeepInputsAndTargetsInStepWithAPartialLastBatch()
    {
        var batches = DataLoader.Batches(Rows(7), batchSize: 3, shuffle: true, seed: 2).ToList();

        batches.Select(b => b.Targets.Shape[0]).Should().Equal(3, 3, 1);
        foreach (var (inputs, targets) in batches)
        {
            double[] x = inputs.ToArray<double>(), y = targets.ToArray<double>();
            y.Select((t, r) => t - 100 * x[2 * r]).Should().OnlyContain(d => d == 0);
        }

        batches.SelectMany(b => b.Targets.ToArray<double>()).Order().Should().Equal(0, 100, 200, 300, 400, 500, 600);
    }

    [Fact]
    public void SplitPartitionsTheRowsAndKeepsThemInStep()
    {
        var (first, second) = Rows(10).Split(0.3, seed: 4);

        (first.Count, second.Count).Should().Be((7, 3));
        double[] firstTargets = first.Targets.ToArray<double>(), secondTargets = second.Targets.ToArray<double>();
        firstTargets.Concat(secondTargets).Order().Should().Equal(Enumerable.Range(0, 10).Select(i => 100.0 * i));
        second.Inputs.ToArray<double>().Where((_, k) => k % 2 == 0).Select(x => 100 * x).Should().Equal(secondTargets);
    }
}
