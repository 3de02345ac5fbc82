namespace NeuralNet.Tests.Tensors;

using NeuralNet;

public class QueryTests
{
    [Fact]
    public void ArgMaxAlongTheLastAxisPicksTheFirstLargest()
    {
        Tensor logits = Tensor.FromArray([1f, 5, 2, 7, 7, 0, -1, -3, -2], 3, 3);
        logits.ArgMax().Should().Equal(1, 0, 0);
    }

    [Fact]
    public void ArgMaxAlongAnInnerAxis()
    {
        // [[1, 9], [4, 2], [3, 8]] along axis 0: column 0 → row 1, column 1 → row 0.
        Tensor x = Tensor.FromArray([1.0, 9, 4, 2, 3, 8], 3, 2);
        x.ArgMax(0).Should().Equal(1, 0);
        Tensor.FromArray([1.0, double.NaN, 5], 3).ArgMax(0).Should().Equal(1);
        Tensor.FromArray([1.0, 2, double.NaN, 0], 2, 2).ArgMax(0).Should().Equal(1, 0);
    }

    [Fact]
    public void ArgMaxOfFloat32ValuesTreatsNaNAndTiesAsFloat64Does()
    {
        // Read in the tensor's own dtype: the first NaN wins, then the first of equal maxima, along either kind of axis.
        Tensor.FromArray([1f, float.NaN, 5, 2, 9, 9], 2, 3).ArgMax().Should().Equal(1, 1);
        Tensor.FromArray([1f, 2, float.NaN, 0, 7, 2], 3, 2).ArgMax(0).Should().Equal(1, 0);   // columns [1, NaN, 7], [2, 0, 2]
    }

    [Fact]
    public void ArgMaxRefusesBadAxes()
    {
        var act = () => Tensor.Zeros([2, 3]).ArgMax(2);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("ArgMax: axis 2 is out of range for rank 2.*");
        var empty = () => Tensor.Zeros([2, 0]).ArgMax();
        empty.Should().Throw<ArgumentException>().WithMessage("ArgMax: axis -1 of shape [2,0] is empty.*");
    }
}
