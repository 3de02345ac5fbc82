namespace NeuralNet.Tests.Data;

using NeuralNet;
using NeuralNet.Data;

public class DataLoaderTests
{
    private static Dataset Counting(int n) =>
        new(Tensor.FromArray([.. Enumerable.Range(0, n * 2).Select(i => (double)i)], n, 2), [.. Enumerable.Range(0, n)]);

    [Fact]
    public void BatchesCoverEveryRowOnceInOrderWithoutShuffle()
    {
        var batches = DataLoader.Batches(Counting(7), batchSize: 3).ToList();
        batches.Select(b => b.Labels.Length).Should().Equal(3, 3, 1);
        batches.SelectMany(b => b.Labels).Should().Equal(0, 1, 2, 3, 4, 5, 6);
        batches[2].Inputs.ToArray<double>().Should().Equal(12, 13);
    }

    [Fact]
    public void ShuffleIsASeededPermutationAndRowsStayWithTheirLabels()
    {
        var first = DataLoader.Batches(Counting(50), 8, shuffle: true, seed: 3).ToList();
        var again = DataLoader.Batches(Counting(50), 8, shuffle: true, seed: 3).ToList();
        var other = DataLoader.Batches(Counting(50), 8, shuffle: true, seed: 4).ToList();

        int[] order = [.. first.SelectMany(b => b.Labels)];
        order.Should().BeEquivalentTo(Enumerable.Range(0, 50)).And.NotBeInAscendingOrder();
        again.SelectMany(b => b.Labels).Should().Equal(order);
        other.SelectMany(b => b.Labels).Should().NotEqual(order);
        foreach (var (inputs, labels) in first)
        {
            for (int r = 0; r < labels.Length; r++)
            {
                inputs[r, 0].Item().Should().Be(2 * labels[r]);
            }
        }
    }

    [Fact]
    public void DropLastSkipsTheShortBatch()
    {
        DataLoader.Batches(Counting(7), 3, dropLast: true).Select(b => b.Labels.Length).Should().Equal(3, 3);
    }

    [Fact]
    public void RegressionBatchesKeepInputsAndTargetsInStep()
    {
        Tensor x = Tensor.Arange(0, 10, dtype: DType.Float64).Reshape(5, 2);
        Tensor y = Tensor.Arange(0, 5, dtype: DType.Float64).Reshape(5, 1) * 10;
        foreach (var (inputs, targets) in DataLoader.Batches(x, y, 2, shuffle: true, seed: 1))
        {
            for (int r = 0; r < targets.Shape[0]; r++)
            {
                targets[r, 0].Item().Should().Be(5 * inputs[r, 0].Item());
            }
        }
    }

    [Fact]
    public void BadArgumentsAreRefused()
    {
        var zero = () => DataLoader.Batches(Counting(3), 0).ToList();
        zero.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Batches: batch size 0 must be positive.*");
        var rows = () => DataLoader.Batches(Tensor.Zeros([3, 2]), Tensor.Zeros([4]), 2).ToList();
        rows.Should().Throw<ArgumentException>().WithMessage("Batches: inputs [3,2] and targets [4] need the same number of rows.*");
        var labels = () => new Dataset(Tensor.Zeros([3, 2]), [0, 1]);
        labels.Should().Throw<ArgumentException>().WithMessage("Dataset: inputs [3,2] need one label per row; there are 2 labels.*");
    }

    [Fact]
    public void SplitPartitionsTheRows()
    {
        var (train, validation) = Counting(20).Split(0.25, seed: 2);
        train.Count.Should().Be(15);
        validation.Count.Should().Be(5);
        train.Labels.Concat(validation.Labels).Should().BeEquivalentTo(Enumerable.Range(0, 20));
    }
}
