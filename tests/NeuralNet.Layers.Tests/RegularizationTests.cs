namespace NeuralNet.Layers.Tests;

using NeuralNet;
using NeuralNet.Layers;

public class RegularizationTests
{
    private static Parameter[] Params() =>
        [new Parameter(TestHelpers.F64([1, -2], 2), "w"), new Parameter(TestHelpers.F64([3], 1), "b")];

    [Fact]
    public void L1IsLambdaTimesTheSumOfAbsoluteValuesWithSignGradient()
    {
        Parameter[] ps = Params();
        using var tape = Tape.Record();
        Tensor penalty = Regularization.L1(ps, 0.1);
        penalty.Rank.Should().Be(0);
        penalty.Item().Should().BeApproximately(0.6, 1e-15);
        tape.Backward(penalty);
        ps[0].Grad!.ShouldEqual([0.1, -0.1], 1e-15);
        ps[1].Grad!.ShouldEqual([0.1], 1e-15);
    }

    [Fact]
    public void L2IsLambdaTimesTheSumOfSquaresWithGradientTwoLambdaW()
    {
        Parameter[] ps = Params();
        using var tape = Tape.Record();
        Tensor penalty = Regularization.L2(ps, 0.1);
        penalty.Item().Should().BeApproximately(1.4, 1e-15);
        tape.Backward(penalty);
        ps[0].Grad!.ShouldEqual([0.2, -0.4], 1e-15);
        ps[1].Grad!.ShouldEqual([0.6], 1e-15);
    }

    [Fact]
    public void APenaltyAddedToALossAddsItsGradient()
    {
        // W = [1, −2], x = [1, 1], t = 0: p = −1, MSE = 1, ∂/∂W = 2(p − t)x = [−2, −2];
        // λΣw² with λ = 0.5 adds 2.5 and 2λW = [1, −2].
        var dense = new Dense(2, 1, bias: false, dtype: DType.Float64);
        dense.Weight.Assign(TestHelpers.F64([1, -2], 1, 2));
        using var tape = Tape.Record();
        Tensor loss = Losses.MeanSquaredError(dense.Forward(TestHelpers.F64([1, 1], 1, 2)), TestHelpers.F64([0], 1, 1))
            + Regularization.L2(dense.Parameters, 0.5);
        loss.Item().Should().BeApproximately(3.5, 1e-15);
        tape.Backward(loss);
        dense.Weight.Grad!.ShouldEqual([-1, -4], 1e-15, shape: [1, 2]);
    }

    [Fact]
    public void EmptyIsZeroAndBadLambdaIsRefused()
    {
        Regularization.L2([], 1).Item().Should().Be(0);
        FluentActions.Invoking(() => Regularization.L1(Params(), -1))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("Regularization.L1: lambda -1*");
        FluentActions.Invoking(() => Regularization.L2([new Parameter(Tensor.Zeros(new Shape(1))), Params()[0]], 1))
            .Should().Throw<ArgumentException>().WithMessage("Regularization.L2:*Float64*Float32*");
    }
}
