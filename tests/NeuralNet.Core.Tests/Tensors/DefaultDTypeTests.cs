namespace NeuralNet.Tests.Tensors;

using NeuralNet;

/// <summary><see cref="Tensor.DefaultDType"/>: what creation methods make when no dtype is given.</summary>
[Collection(SerialCollection.Name)]
public class DefaultDTypeTests
{
    [Fact]
    public void TheDefaultIsFloat32()
    {
        Tensor.DefaultDType.Should().Be(DType.Float32);
        Tensor.Zeros([2]).DType.Should().Be(DType.Float32);
    }

    [Fact]
    public void CreationWithoutADTypeFollowsTheDefault()
    {
        Tensor.DefaultDType = DType.Float64;
        try
        {
            Tensor[] made =
            [
                Tensor.Zeros([2]), Tensor.Ones([2]), Tensor.Full([2], 0.1), Tensor.Scalar(0.1), Tensor.Arange(0, 3),
                Tensor.RandomNormal([2], seed: 1), Tensor.RandomUniform([2], seed: 1), Tensor.OneHot([0, 1], 2),
            ];
            made.Select(t => t.DType).Should().AllBeEquivalentTo(DType.Float64);
            Tensor.Full([1], 0.1).Item().Should().Be(0.1);

            // An explicit dtype and an array's own element type win.
            Tensor.Zeros([2], DType.Float32).DType.Should().Be(DType.Float32);
            Tensor.FromArray([1f, 2f]).DType.Should().Be(DType.Float32);

            // A weak scalar of the default dtype still takes a Float32 tensor's dtype.
            (Tensor.FromArray([1f]) * Tensor.Scalar(0.1)).DType.Should().Be(DType.Float32);
        }
        finally
        {
            Tensor.DefaultDType = DType.Float32;
        }
    }

    [Fact]
    public void AnUndefinedDTypeIsRefused()
    {
        FluentActions.Invoking(() => Tensor.DefaultDType = (DType)7)
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("DefaultDType: 7 is not a dtype*");
        Tensor.DefaultDType.Should().Be(DType.Float32);
    }
}
