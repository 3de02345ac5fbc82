namespace NeuralNet.Layers.Tests;

using NeuralNet;
using NeuralNet.Layers;
using static RecurrentTestSupport;

public class LSTMTests
{
    [Fact]
    public void OneStepMatchesTheEquationsByHand()
    {
        // I = H = 1; the rows are the gates i, f, g, o.
        LSTM lstm = new LSTM(1, 1, dtype: DType.Float64).With(
            weightIh: [0.5, -0.4, 0.3, 0.8], weightHh: [0.1, 0.2, -0.6, 0.7], biasIh: [0.05, 0.1, -0.05, 0.2], biasHh: [0.0, 0.3, 0.1, -0.1]);

        // x = 2, h = 0.5, c = −1:
        // i = σ(0.5·2 + 0.05 + 0.1·0.5 + 0) = σ(1.1), f = σ(−0.4·2 + 0.1 + 0.2·0.5 + 0.3) = σ(−0.3),
        // g = tanh(0.3·2 − 0.05 − 0.6·0.5 + 0.1) = tanh(0.35), o = σ(0.8·2 + 0.2 + 0.7·0.5 − 0.1) = σ(2.05).
        double i = Sigmoid(1.1), f = Sigmoid(-0.3), g = Math.Tanh(0.35), o = Sigmoid(2.05);
        double c = (f * -1) + (i * g);
        double h = o * Math.Tanh(c);

        (Tensor output, (Tensor hn, Tensor cn)) = lstm.Forward(
            TestHelpers.F64([2], 1, 1, 1), (TestHelpers.F64([0.5], 1, 1, 1), TestHelpers.F64([-1], 1, 1, 1)));
        output.ShouldEqual([h], 1e-15, [1, 1, 1]);
        hn.ShouldEqual([h], 1e-15, [1, 1, 1]);
        cn.ShouldEqual([c], 1e-15, [1, 1, 1]);
    }

    [Fact]
    public void ASequenceMatchesAPlainReferenceLoopFromGivenAndFromZeroStates()
    {
        const int T = 5, N = 3, I = 2, H = 4;
        var lstm = new LSTM(I, H, dtype: DType.Float64, seed: 7);
        Tensor x = Normal(1, T, N, I), h0 = Normal(2, 1, N, H), c0 = Normal(3, 1, N, H);
        var weights = RecurrentReference.Weights.Of(lstm);

        RecurrentReference.Result expected = RecurrentReference.Lstm(weights, x.ToArray<double>(), T, N, h0.ToArray<double>(), c0.ToArray<double>());
        (Tensor output, (Tensor hn, Tensor cn)) = lstm.Forward(x, (h0, c0));
        output.ShouldEqual(expected.Output, 1e-12, [T, N, H]);
        hn.ShouldEqual(expected.H, 1e-12, [1, N, H]);
        cn.ShouldEqual(expected.C!, 1e-12, [1, N, H]);

        RecurrentReference.Result fromZeros = RecurrentReference.Lstm(weights, x.ToArray<double>(), T, N, new double[N * H], new double[N * H]);
        lstm.Forward(x).ShouldEqual(fromZeros.Output, 1e-12, [T, N, H]);
    }

    [Fact]
    public void WithoutBiasMatchesTheReferenceWithZeroBiases()
    {
        var lstm = new LSTM(3, 2, bias: false, dtype: DType.Float64, seed: 4);
        lstm.NamedParameters.Select(p => p.Name).Should().Equal("weight_ih_l0", "weight_hh_l0");
        Tensor x = Normal(5, 4, 2, 3);
        RecurrentReference.Result expected = RecurrentReference.Lstm(RecurrentReference.Weights.Of(lstm), x.ToArray<double>(), 4, 2, new double[4], new double[4]);
        lstm.Forward(x).ShouldEqual(expected.Output, 1e-12, [4, 2, 2]);
    }

    [Fact]
    public void GradientsThroughAWholeSequencePassGradCheckForInputStatesAndParameters()
    {
        const int T = 3, N = 2, I = 2, H = 2;
        Tensor[] point = [Normal(1, T, N, I), Normal(2, 1, N, H), Normal(3, 1, N, H), Normal(4, 4 * H, I), Normal(5, 4 * H, H), Normal(6, 4 * H), Normal(7, 4 * H)];
        GradCheckResult result = Autodiff.GradCheck(Sequence, point);
        result.Passed.Should().BeTrue(result.ToString());

        var lstm = new LSTM(I, H, batchFirst: true, dtype: DType.Float64, seed: 3);
        GradCheckResult module = Autodiff.GradCheck(lstm.Forward, Normal(8, N, T, I));
        module.Passed.Should().BeTrue(module.ToString());
    }

    [Fact]
    public void ForwardModeAgreesWithReverseModeOnOneDirection()
    {
        Tensor[] point = [Normal(11, 4, 2, 3), Normal(12, 1, 2, 2), Normal(13, 1, 2, 2), Normal(14, 8, 3), Normal(15, 8, 2), Normal(16, 8), Normal(17, 8)];
        ForwardModeAgreesWithReverseMode(Sequence, point, seed: 20);
    }

    [Fact]
    public void TheGradientCanBeDifferentiatedAgain()
    {
        var lstm = new LSTM(2, 2, dtype: DType.Float64, seed: 9);
        Tensor Gradient(Tensor x) => Autodiff.Grad(y => { Tensor o = lstm.Forward(y); return (o * o).Sum(); }, x);
        GradCheckResult result = Autodiff.GradCheck(Gradient, Normal(10, 3, 1, 2));
        result.Passed.Should().BeTrue(result.ToString());
    }

    [Fact]
    public void RegistersPyTorchsNamesAndShapesInitialisedWithinOneOverRootH()
    {
        var lstm = new LSTM(3, 16, seed: 1);
        ModuleChecks.AssertRegistered(lstm);
        lstm.NamedParameters.Select(p => (p.Name, p.Parameter.Shape)).Should().Equal(
            ("weight_ih_l0", new Shape(64, 3)), ("weight_hh_l0", new Shape(64, 16)), ("bias_ih_l0", new Shape(64)), ("bias_hh_l0", new Shape(64)));
        foreach (Parameter p in lstm.Parameters)
        {
            float[] values = p.ToArray<float>();
            values.Should().OnlyContain(v => Math.Abs(v) <= 0.25f, "U(−1/√16, 1/√16)");
            values.Max().Should().BeGreaterThan(0.2f, "the draws fill the range");
            values.Min().Should().BeLessThan(-0.2f, "the draws fill the range");
        }

        lstm.BiasIh!.ToArray<float>().Should().NotEqual(lstm.BiasHh!.ToArray<float>(), "each parameter has its own seed");
        new LSTM(3, 16, seed: 1).WeightHh.ToArray<float>().Should().Equal(lstm.WeightHh.ToArray<float>());
        lstm.ToString().Should().Be("LSTM(inputSize=3, hiddenSize=16, bias=true, batchFirst=false)");
    }

    private static Tensor Sequence(Tensor[] xs)
    {
        (Tensor output, (_, Tensor c)) = LSTM.Apply(xs[0], (xs[1], xs[2]), xs[3], xs[4], xs[5], xs[6]);
        return Tensor.Concatenate([output.Reshape(-1), c.Reshape(-1)]);
    }

    private static double Sigmoid(double a) => 1 / (1 + Math.Exp(-a));
}
