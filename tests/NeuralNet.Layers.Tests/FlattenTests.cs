namespace NeuralNet.Layers.Tests;

using NeuralNet;
using NeuralNet.Layers;

public class FlattenTests
{
    [Theory]
    [InlineData(1, -1, new[] { 2, 60 })]
    [InlineData(0, -1, new[] { 120 })]
    [InlineData(1, 2, new[] { 2, 12, 5 })]
    [InlineData(-2, -1, new[] { 2, 3, 20 })]
    [InlineData(2, 2, new[] { 2, 3, 4, 5 })]
    public void MergesTheAxesFromStartToEnd(int start, int end, int[] expected)
    {
        // PyTorch's nn.Flatten: [2, 3, 4, 5] with the axes start..end multiplied together, values in row-major order.
        Tensor x = Tensor.RandomNormal([2, 3, 4, 5], seed: 1);
        Tensor y = new Flatten(start, end).Forward(x);
        y.Shape.Should().Be(new Shape(expected));
        y.ToArray<float>().Should().Equal(x.ToArray<float>());
    }

    [Fact]
    public void TheGradientIsTheCotangentReshapedBack()
    {
        Tensor x = Tensor.RandomNormal([2, 2, 3], seed: 2, dtype: DType.Float64);
        Tensor c = Tensor.RandomNormal([2, 6], seed: 3, dtype: DType.Float64);
        Tensor gradient = Autodiff.Grad(t => (new Flatten().Forward(t) * c).Sum(), x);
        gradient.Shape.Should().Be(new Shape(2, 2, 3));
        gradient.ToArray<double>().Should().Equal(c.ToArray<double>());
    }

    [Fact]
    public void AxesOutOfRangeOrInTheWrongOrderAreRefused()
    {
        ((Action)(() => new Flatten(1, 3).Forward(Tensor.Zeros([2, 3])))).Should().Throw<ArgumentException>()
            .WithMessage("Flatten(startDim=1, endDim=3): input [2,3] has no axis 3 (rank 2).*");
        ((Action)(() => new Flatten().Forward(Tensor.Zeros([4])))).Should().Throw<ArgumentException>().WithMessage("*has no axis 1 (rank 1)*");
        ((Action)(() => new Flatten(2, 1).Forward(Tensor.Zeros([2, 3, 4])))).Should().Throw<ArgumentException>()
            .WithMessage("*the start axis 2 comes after the end axis 1*");
    }
}
