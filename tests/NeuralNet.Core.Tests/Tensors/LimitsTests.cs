namespace NeuralNet.Tests.Tensors;

using NeuralNet;

/// <summary>Inputs at the edges of what fits: refused with a named error, or handled, never wrapped or crashed.</summary>
public class LimitsTests
{
    [Fact]
    public void AConcatenationWhoseAxisWouldOverflowIsRefused()
    {
        // Four [0, 2³⁰] tensors hold nothing, but their joined axis, 2³², would wrap to 0.
        Tensor part = Tensor.Zeros([0, 1 << 30]);
        var act = () => Tensor.Concatenate([part, part, part, part], axis: 1);
        act.Should().Throw<ArgumentException>().WithMessage("Concatenate: along axis 1, the 4 tensors' dimensions add up to 4294967296*");
    }

    [Theory]
    [InlineData(double.NaN, 5.0)]
    [InlineData(0.0, double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity, 0.0)]
    public void ArangeRefusesBoundsThatAreNotFinite(double start, double stop)
    {
        var act = () => Tensor.Arange(start, stop);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Arange: start * and stop * must be finite*");
    }

    [Fact]
    public void ArangeRefusesARangeTooLongForAnArray()
    {
        var act = () => Tensor.Arange(0, 1e12);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Arange: 0 to 1000000000000 by 1 is 1000000000000 values*");
    }

    [Fact]
    public void OneHotRefusesAResultTooLargeForAnArray()
    {
        var act = () => Tensor.OneHot(new int[65536], 65536);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("OneHot: 65536 labels of 65536 classes are 4294967296 values*");
    }

    [Fact]
    public void ATensorOfVeryHighRankRendersWithoutRecursion()
    {
        Tensor x = Tensor.Full(new Shape([.. Enumerable.Repeat(1, 100_000)]), 2.5);
        string text = x.ToString();
        text.Should().Be("Tensor(" + new string('[', 100_000) + "2.5" + new string(']', 100_000) + ", Float32)");
    }

    [Fact]
    public void RenderingElidesLongAxesAndShowsEmptyOnes()
    {
        Tensor.Arange(0, 24).Reshape(3, 8).ToString().Should().Be(
            "Tensor([[0, 1, 2, ..., 5, 6, 7], [8, 9, 10, ..., 13, 14, 15], [16, 17, 18, ..., 21, 22, 23]], Float32)");
        Tensor.Zeros([2, 0]).ToString().Should().Be("Tensor([[], []], Float32)");
        Tensor.Zeros([0, 3]).ToString().Should().Be("Tensor([], Float32)");
    }

    [Fact]
    public void AnOpUnderManyOpenTapesDoesNotOverflowTheStack()
    {
        var w = new Parameter(Tensor.FromArray([2.0]), "w");
        var tapes = new List<Tape>();
        try
        {
            for (int i = 0; i < 100_000; i++)
            {
                tapes.Add(Tape.Record());
            }

            Tensor loss = (w * w).Sum();
            tapes[^1].Gradient(loss, w).ToArray<double>().Should().Equal(4);
        }
        finally
        {
            for (int i = tapes.Count - 1; i >= 0; i--)
            {
                tapes[i].Dispose();
            }
        }
    }
}
