namespace NeuralNet.Layers.Tests;

using NeuralNet;
using NeuralNet.Layers;

public class MetricsTests
{
    // Arg-max per row: 1, 0, 0 (the first on a tie), 1; against labels [1, 1, 0, 0] rows 0 and 2 are right.
    private static Tensor Scores() => TestHelpers.F64([0.1, 0.9, 0.8, 0.2, 0.5, 0.5, 0.3, 0.7], 4, 2);

    private static readonly int[] Labels = [1, 1, 0, 0];

    [Fact]
    public void AccuracyAndZeroOneLossCountArgMaxAgreement()
    {
        Metrics.Accuracy(Scores(), Labels).Should().Be(0.5);
        Metrics.ZeroOneLoss(Scores(), Labels).Should().Be(0.5);
        Metrics.ZeroOneLoss(Scores(), Labels, Reduction.Sum).Should().Be(2);
        Metrics.Accuracy(Scores(), [1, 0, 0, 1]).Should().Be(1);
        Metrics.ZeroOneLoss(Scores(), [0, 1, 1, 0], Reduction.Sum).Should().Be(4);
    }

    [Fact]
    public void OneColumnIsABinaryLogit()
    {
        // Class 1 where the logit is positive: [2, −1, 0] predicts [1, 0, 0]; labels [1, 1, 0] agree on rows 0 and 2.
        Tensor logits = TestHelpers.F64([2, -1, 0], 3, 1);
        Metrics.Accuracy(logits, [1, 1, 0]).Should().BeApproximately(2 / 3.0, 1e-15);
        Metrics.ZeroOneLoss(logits, [1, 1, 0]).Should().BeApproximately(1 / 3.0, 1e-15);
    }

    [Fact]
    public void BadInputIsRefusedNamingTheMetric()
    {
        FluentActions.Invoking(() => Metrics.Accuracy(Scores(), [1, 1, 0, 2]))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("Accuracy: label 2 (at position 3) is out of range 0..1 for scores [4,2].*");
        FluentActions.Invoking(() => Metrics.ZeroOneLoss(Scores(), [1, 1]))
            .Should().Throw<ArgumentException>().WithMessage("ZeroOneLoss: scores [4,2] must be [n, classes] with n = 2*");
        FluentActions.Invoking(() => Metrics.Accuracy(Tensor.Zeros(new Shape(0, 2), DType.Float64), []))
            .Should().Throw<ArgumentException>().WithMessage("Accuracy: scores [0,2]*");
        FluentActions.Invoking(() => Metrics.ZeroOneLoss(Scores(), Labels, Reduction.None))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("reduction").WithMessage("ZeroOneLoss: reduction None is not supported*");
    }
}
