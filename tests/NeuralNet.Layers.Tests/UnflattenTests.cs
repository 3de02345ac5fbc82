namespace NeuralNet.Layers.Tests;

using NeuralNet;
using NeuralNet.Layers;

public class UnflattenTests
{
    [Theory]
    [InlineData(1, new[] { 3, 4 }, new[] { 2, 3, 4, 5 })]
    [InlineData(-1, new[] { 5, 1 }, new[] { 2, 12, 5, 1 })]
    [InlineData(0, new[] { 1, 2 }, new[] { 1, 2, 12, 5 })]
    public void SplitsOneAxisIntoTheSizes(int dim, int[] sizes, int[] expected)
    {
        // PyTorch's nn.Unflatten: [2, 12, 5] with axis dim replaced by sizes, values in row-major order.
        Tensor x = Tensor.RandomNormal([2, 12, 5], seed: 1);
        Tensor y = new Unflatten(dim, sizes).Forward(x);
        y.Shape.Should().Be(new Shape(expected));
        y.ToArray<float>().Should().Equal(x.ToArray<float>());
    }

    [Fact]
    public void UndoesFlattenAndItsGradientIsTheCotangentReshapedBack()
    {
        Tensor images = Tensor.RandomNormal([4, 1, 28, 28], seed: 2, dtype: DType.Float64);
        new Unflatten(1, [1, 28, 28]).Forward(new Flatten().Forward(images)).ToArray<double>().Should().Equal(images.ToArray<double>());

        Tensor x = Tensor.RandomNormal([2, 6], seed: 3, dtype: DType.Float64);
        Tensor c = Tensor.RandomNormal([2, 2, 3], seed: 4, dtype: DType.Float64);
        Tensor gradient = Autodiff.Grad(t => (new Unflatten(1, [2, 3]).Forward(t) * c).Sum(), x);
        gradient.Shape.Should().Be(new Shape(2, 6));
        gradient.ToArray<double>().Should().Equal(c.ToArray<double>());
    }

    [Fact]
    public void BadSizesOrAxesNameTheLayerAndTheShape()
    {
        var wrongProduct = () => new Unflatten(1, [5, 5]).Forward(Tensor.Zeros([2, 24]));
        wrongProduct.Should().Throw<ArgumentException>().WithMessage("Unflatten(dim=1, sizes=[5, 5])*[2,24]*24 elements*multiply to 25*");
        var noAxis = () => new Unflatten(2, [1]).Forward(Tensor.Zeros([2, 24]));
        noAxis.Should().Throw<ArgumentException>().WithMessage("*[2,24] has no axis 2*");
        var empty = () => new Unflatten(1, []);
        empty.Should().Throw<ArgumentException>().WithMessage("Unflatten: sizes []*");
        var zero = () => new Unflatten(1, [0, 3]);
        zero.Should().Throw<ArgumentException>().WithMessage("Unflatten: sizes [0, 3]*positive*");
    }
}
