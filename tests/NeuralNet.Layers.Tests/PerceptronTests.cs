namespace NeuralNet.Layers.Tests;

using NeuralNet;
using NeuralNet.Layers;

public class PerceptronTests
{
    private static readonly Tensor Gates = TestHelpers.F64([0, 0, 0, 1, 1, 0, 1, 1], 4, 2);

    [Theory]
    [InlineData("AND", new[] { 0, 0, 0, 1 })]
    [InlineData("OR", new[] { 0, 1, 1, 1 })]
    [InlineData("NAND", new[] { 1, 1, 1, 0 })]
    public void LearnsLinearlySeparableGates(string gate, int[] labels)
    {
        var perceptron = new Perceptron(2);
        int[] mistakes = perceptron.Fit(Gates, labels, epochs: 100, learningRate: 1);
        mistakes[^1].Should().Be(0, gate);
        mistakes.Length.Should().BeLessThan(100, gate);
        perceptron.Predict(Gates).Should().Equal(labels, gate);
    }

    [Fact]
    public void FirstEpochOfAndFollowsTheRuleByHand()
    {
        // w = 0, b = 0, η = 1. (0,0)→0 right; (0,1)→0 right; (1,0)→0 right; (1,1)→0 wrong: w = [1, 1], b = 1.
        var perceptron = new Perceptron(2);
        perceptron.Fit(Gates, [0, 0, 0, 1], epochs: 1)[0].Should().Be(1);
        perceptron.Weight.ShouldEqual([1, 1], 0);
        perceptron.Bias.Item().Should().Be(1);
    }

    [Fact]
    public void SeparatesALinearlySeparable2DSet()
    {
        // 200 points labelled by the side of the line x₁ = 0.5x₀ + 0.1, keeping a margin of 0.05.
        var random = new Random(42);
        var xs = new List<double>();
        var labels = new List<int>();
        while (labels.Count < 200)
        {
            double a = (random.NextDouble() * 2) - 1, b = (random.NextDouble() * 2) - 1;
            double side = b - ((0.5 * a) + 0.1);
            if (Math.Abs(side) < 0.05)
            {
                continue;
            }

            xs.Add(a);
            xs.Add(b);
            labels.Add(side > 0 ? 1 : 0);
        }

        var perceptron = new Perceptron(2);
        Tensor inputs = TestHelpers.F64([.. xs], 200, 2);
        int[] mistakes = perceptron.Fit(inputs, [.. labels], epochs: 1000, learningRate: 0.1);
        mistakes[^1].Should().Be(0);
        perceptron.Predict(inputs).Should().Equal(labels);
    }

    [Fact]
    public void NeverSeparatesXor()
    {
        var perceptron = new Perceptron(2);
        int[] mistakes = perceptron.Fit(Gates, [0, 1, 1, 0], epochs: 200);
        mistakes.Should().HaveCount(200).And.OnlyContain(m => m > 0);
        perceptron.Predict(Gates).Zip(new[] { 0, 1, 1, 0 }).Should().Contain(pair => pair.First != pair.Second);
    }

    [Fact]
    public void ForwardPredictAndErrors()
    {
        var perceptron = new Perceptron(2);
        perceptron.Fit(Gates, [0, 0, 0, 1], epochs: 100);
        perceptron.Forward(Gates).ShouldEqual([0, 0, 0, 1], 0);
        perceptron.Forward(TestHelpers.F64([1, 1], 2)).Rank.Should().Be(0);
        perceptron.Predict(TestHelpers.F64([1, 1], 2)).Should().Equal(1);
        perceptron.Parameters.Should().Equal(perceptron.Weight, perceptron.Bias);
        perceptron.ToString().Should().Be("Perceptron(in=2)");
        FluentActions.Invoking(() => perceptron.Fit(Gates, [0, 2, 0, 1], 1))
            .Should().Throw<ArgumentException>().WithMessage("Perceptron.Fit: label 2 (at position 1) must be 0 or 1.*");
        FluentActions.Invoking(() => perceptron.Predict(TestHelpers.F64([1, 2, 3], 1, 3)))
            .Should().Throw<ArgumentException>().WithMessage("Perceptron(in=2).Predict: input [1,3]*");
        FluentActions.Invoking(() => perceptron.Fit(Gates, [0, 0, 0, 1], 1, learningRate: 0))
            .Should().Throw<ArgumentOutOfRangeException>();
    }
}
