namespace NeuralNet.Tests.Tensors;

public class ShapeTests
{
    [Fact]
    public void AnEmptyShapeHasNoElementsHoweverLargeItsOtherDimensions()
    {
        new Shape(100_000, 100_000, 0).Size.Should().Be(0);
        Tensor empty = Tensor.Zeros([100_000, 100_000, 0]);
        empty.Size.Should().Be(0);
        empty.Sum().Item().Should().Be(0);
        var act = () => new Shape(100_000, 100_000, 1).Size;
        act.Should().Throw<ArgumentException>().WithMessage("Shape: [100000,100000,1] has more elements than an array can hold*");
    }

    [Fact]
    public void TheSoftmaxFamilyOnAnEmptyTensorWithLargeDimensionsIsImmediate()
    {
        // Once 10¹⁰ empty rows: the kernel walked them one by one.
        Tensor empty = Tensor.Zeros([100_000, 100_000, 0]);
        empty.Softmax(axis: 1).Shape.Should().Be(new Shape(100_000, 100_000, 0));
        empty.LogSoftmax(axis: 0).Shape.Should().Be(new Shape(100_000, 100_000, 0));
        empty.LogSumExp(axis: 1).Shape.Should().Be(new Shape(100_000, 0));
        NeuralNet.Autodiff.Grad(v => v.Softmax(axis: 1).Sum(), empty).Shape.Should().Be(empty.Shape);
        var act = () => empty.LogSumExp(axis: 2);
        act.Should().Throw<ArgumentException>().WithMessage("Shape: [100000,100000,1] has more elements than an array can hold*");
    }

    [Fact]
    public void SizeIsTheProductOfTheDimensionsAndOneForAScalar()
    {
        new Shape(2, 3, 4).Size.Should().Be(24);
        Shape.ScalarShape.Size.Should().Be(1);
        Shape.ScalarShape.Rank.Should().Be(0);
    }

    [Fact]
    public void StridesAreRowMajor()
    {
        new Shape(2, 3, 4).Strides().Should().Equal(12, 4, 1);
    }

    [Theory]
    [InlineData(new[] { 2, 3 }, new[] { 3 }, new[] { 2, 3 })]
    [InlineData(new[] { 2, 1 }, new[] { 1, 4 }, new[] { 2, 4 })]
    [InlineData(new int[0], new[] { 5, 1 }, new[] { 5, 1 })]
    [InlineData(new[] { 4, 1, 3 }, new[] { 2, 1 }, new[] { 4, 2, 3 })]
    public void BroadcastFollowsNumPyRules(int[] a, int[] b, int[] expected)
    {
        Shape.Broadcast(a, b).Should().Be(new Shape(expected));
        Shape.Broadcast(b, a).Should().Be(new Shape(expected));
    }

    [Fact]
    public void IncompatibleShapesNameTheOpAndBothShapes()
    {
        var act = () => Shape.Broadcast(new Shape(2, 3), new Shape(4, 3), "Add");
        act.Should().Throw<ArgumentException>().WithMessage("Add: [2,3] and [4,3] do not broadcast*");
    }

    [Fact]
    public void NegativeDimensionsAreRefused()
    {
        var act = () => new Shape(2, -1);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*dimension -1 in [2,-1]*");
    }

    [Fact]
    public void CollectionExpressionsAndNegativeAxesWork()
    {
        Shape s = [2, 3, 5];
        s[-1].Should().Be(5);
        s.ToString().Should().Be("[2,3,5]");
    }

    [Fact]
    public void ShapesTooLargeForAnArrayNameTheShape()
    {
        var act = () => Tensor.Zeros([100000, 100000]);
        act.Should().Throw<ArgumentException>().WithMessage("Shape: [100000,100000] has more elements than an array can hold*");
    }
}
