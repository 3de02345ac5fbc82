namespace NeuralNet.Layers.Tests;

using NeuralNet;
using NeuralNet.Layers;
using static RecurrentTestSupport;

public class RNNTests
{
    private static readonly double[] WeightIh = [0.5, -0.2, 0.1, 0.4];
    private static readonly double[] WeightHh = [0.3, 0.0, -0.5, 0.2];
    private static readonly double[] BiasIh = [0.1, -0.1];
    private static readonly double[] BiasHh = [0.0, 0.2];

    [Fact]
    public void OneTanhStepMatchesTheEquationByHand()
    {
        RNN rnn = new RNN(2, 2, dtype: DType.Float64).With(WeightIh, WeightHh, BiasIh, BiasHh);

        // x = [1, 2], h = [0.5, −1]:
        // h'₀ = tanh(0.5·1 − 0.2·2 + 0.1 + 0.3·0.5 + 0·(−1) + 0) = tanh(0.35),
        // h'₁ = tanh(0.1·1 + 0.4·2 − 0.1 − 0.5·0.5 + 0.2·(−1) + 0.2) = tanh(0.55).
        (Tensor output, Tensor hn) = rnn.Forward(TestHelpers.F64([1, 2], 1, 1, 2), TestHelpers.F64([0.5, -1], 1, 1, 2));
        output.ShouldEqual([Math.Tanh(0.35), Math.Tanh(0.55)], 1e-15, [1, 1, 2]);
        hn.ShouldEqual([Math.Tanh(0.35), Math.Tanh(0.55)], 1e-15, [1, 1, 2]);
    }

    [Fact]
    public void OneReluStepMatchesTheEquationByHand()
    {
        RNN rnn = new RNN(2, 2, RnnNonlinearity.Relu, dtype: DType.Float64).With(WeightIh, WeightHh, BiasIh, BiasHh);

        // x = [−1, −2], h = [0.5, −1]: h'₀ = max(0, −0.5 + 0.4 + 0.1 + 0.15) = 0.15,
        // h'₁ = max(0, −0.1 − 0.8 − 0.1 − 0.25 − 0.2 + 0.2) = max(0, −1.25) = 0.
        rnn.Forward(TestHelpers.F64([-1, -2], 1, 1, 2), TestHelpers.F64([0.5, -1], 1, 1, 2)).Output.ShouldEqual([0.15, 0], 1e-15, [1, 1, 2]);
    }

    [Theory]
    [InlineData(RnnNonlinearity.Tanh)]
    [InlineData(RnnNonlinearity.Relu)]
    public void ASequenceMatchesAPlainReferenceLoop(RnnNonlinearity nonlinearity)
    {
        const int T = 6, N = 2, I = 3, H = 4;
        var rnn = new RNN(I, H, nonlinearity, dtype: DType.Float64, seed: 5);
        Tensor x = Normal(1, T, N, I), h0 = Normal(2, 1, N, H);
        RecurrentReference.Result expected = RecurrentReference.Rnn(
            RecurrentReference.Weights.Of(rnn), x.ToArray<double>(), T, N, h0.ToArray<double>(), nonlinearity == RnnNonlinearity.Relu);

        (Tensor output, Tensor hn) = rnn.Forward(x, h0);
        output.ShouldEqual(expected.Output, 1e-12, [T, N, H]);
        hn.ShouldEqual(expected.H, 1e-12, [1, N, H]);
    }

    [Fact]
    public void GradientsThroughAWholeSequencePassGradCheckForInputStateAndParameters()
    {
        const int T = 4, N = 2, I = 3, H = 2;
        Tensor[] point = [Normal(1, T, N, I), Normal(2, 1, N, H), Normal(4, H, I), Normal(5, H, H), Normal(6, H), Normal(7, H)];
        GradCheckResult result = Autodiff.GradCheck(Sequence, point);
        result.Passed.Should().BeTrue(result.ToString());
    }

    [Fact]
    public void ForwardModeAgreesWithReverseModeOnOneDirection()
    {
        Tensor[] point = [Normal(11, 4, 2, 3), Normal(12, 1, 2, 2), Normal(14, 2, 3), Normal(15, 2, 2), Normal(16, 2), Normal(17, 2)];
        ForwardModeAgreesWithReverseMode(Sequence, point, seed: 20);
    }

    [Fact]
    public void RegistersPyTorchsNamesAndShapes()
    {
        var rnn = new RNN(3, 9, RnnNonlinearity.Relu, batchFirst: true);
        ModuleChecks.AssertRegistered(rnn);
        rnn.NamedParameters.Select(p => (p.Name, p.Parameter.Shape)).Should().Equal(
            ("weight_ih_l0", new Shape(9, 3)), ("weight_hh_l0", new Shape(9, 9)), ("bias_ih_l0", new Shape(9)), ("bias_hh_l0", new Shape(9)));
        rnn.Parameters.SelectMany(p => p.ToArray<float>()).Should().OnlyContain(v => Math.Abs(v) <= 1 / 3f, "U(−1/√9, 1/√9)");
        rnn.ToString().Should().Be("RNN(inputSize=3, hiddenSize=9, bias=true, batchFirst=true, nonlinearity=relu)");
        ((Action)(() => _ = new RNN(3, 9, (RnnNonlinearity)7))).Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "nonlinearity");
    }

    private static Tensor Sequence(Tensor[] xs)
    {
        (Tensor output, Tensor h) = RNN.Apply(xs[0], xs[1], xs[2], xs[3], xs[4], xs[5]);
        return Tensor.Concatenate([output.Reshape(-1), h.Reshape(-1)]);
    }
}
