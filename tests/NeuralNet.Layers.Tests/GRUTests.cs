namespace NeuralNet.Layers.Tests;

using NeuralNet;
using NeuralNet.Layers;
using static RecurrentTestSupport;

public class GRUTests
{
    [Fact]
    public void OneStepMatchesTheEquationsByHand()
    {
        // I = H = 1; the rows are the gates r, z, n.
        GRU gru = new GRU(1, 1, dtype: DType.Float64).With(
            weightIh: [0.6, -0.5, 0.9], weightHh: [0.3, 0.4, -0.7], biasIh: [0.1, -0.2, 0.05], biasHh: [-0.1, 0.25, 0.3]);

        // x = 1.5, h = −0.4:
        // r = σ(0.6·1.5 + 0.1 + 0.3·(−0.4) − 0.1) = σ(0.78), z = σ(−0.5·1.5 − 0.2 + 0.4·(−0.4) + 0.25) = σ(−0.86),
        // n = tanh(0.9·1.5 + 0.05 + r·(−0.7·(−0.4) + 0.3)) = tanh(1.4 + 0.58·r), h' = (1 − z)·n + z·(−0.4).
        double r = Sigmoid(0.78), z = Sigmoid(-0.86);
        double n = Math.Tanh(1.4 + (0.58 * r));
        double h = ((1 - z) * n) + (z * -0.4);

        (Tensor output, Tensor hn) = gru.Forward(TestHelpers.F64([1.5], 1, 1, 1), TestHelpers.F64([-0.4], 1, 1, 1));
        output.ShouldEqual([h], 1e-15, [1, 1, 1]);
        hn.ShouldEqual([h], 1e-15, [1, 1, 1]);
    }

    [Fact]
    public void ASequenceMatchesAPlainReferenceLoopFromGivenAndFromZeroStates()
    {
        const int T = 5, N = 3, I = 2, H = 4;
        var gru = new GRU(I, H, dtype: DType.Float64, seed: 7);
        Tensor x = Normal(1, T, N, I), h0 = Normal(2, 1, N, H);
        var weights = RecurrentReference.Weights.Of(gru);

        RecurrentReference.Result expected = RecurrentReference.Gru(weights, x.ToArray<double>(), T, N, h0.ToArray<double>());
        (Tensor output, Tensor hn) = gru.Forward(x, h0);
        output.ShouldEqual(expected.Output, 1e-12, [T, N, H]);
        hn.ShouldEqual(expected.H, 1e-12, [1, N, H]);

        RecurrentReference.Result fromZeros = RecurrentReference.Gru(weights, x.ToArray<double>(), T, N, new double[N * H]);
        gru.Forward(x).ShouldEqual(fromZeros.Output, 1e-12, [T, N, H]);
    }

    [Fact]
    public void WithoutBiasMatchesTheReferenceWithZeroBiases()
    {
        var gru = new GRU(3, 2, bias: false, dtype: DType.Float64, seed: 4);
        gru.NamedParameters.Select(p => p.Name).Should().Equal("weight_ih_l0", "weight_hh_l0");
        Tensor x = Normal(5, 4, 2, 3);
        RecurrentReference.Result expected = RecurrentReference.Gru(RecurrentReference.Weights.Of(gru), x.ToArray<double>(), 4, 2, new double[4]);
        gru.Forward(x).ShouldEqual(expected.Output, 1e-12, [4, 2, 2]);
    }

    [Fact]
    public void GradientsThroughAWholeSequencePassGradCheckForInputStateAndParameters()
    {
        const int T = 3, N = 2, I = 2, H = 2;
        Tensor[] point = [Normal(1, T, N, I), Normal(2, 1, N, H), Normal(4, 3 * H, I), Normal(5, 3 * H, H), Normal(6, 3 * H), Normal(7, 3 * H)];
        GradCheckResult result = Autodiff.GradCheck(Sequence, point);
        result.Passed.Should().BeTrue(result.ToString());

        var gru = new GRU(I, H, batchFirst: true, dtype: DType.Float64, seed: 3);
        GradCheckResult module = Autodiff.GradCheck(gru.Forward, Normal(8, N, T, I));
        module.Passed.Should().BeTrue(module.ToString());
    }

    [Fact]
    public void ForwardModeAgreesWithReverseModeOnOneDirection()
    {
        Tensor[] point = [Normal(11, 4, 2, 3), Normal(12, 1, 2, 2), Normal(14, 6, 3), Normal(15, 6, 2), Normal(16, 6), Normal(17, 6)];
        ForwardModeAgreesWithReverseMode(Sequence, point, seed: 20);
    }

    [Fact]
    public void RegistersPyTorchsNamesAndShapes()
    {
        var gru = new GRU(5, 4);
        ModuleChecks.AssertRegistered(gru);
        gru.NamedParameters.Select(p => (p.Name, p.Parameter.Shape)).Should().Equal(
            ("weight_ih_l0", new Shape(12, 5)), ("weight_hh_l0", new Shape(12, 4)), ("bias_ih_l0", new Shape(12)), ("bias_hh_l0", new Shape(12)));
        gru.Parameters.SelectMany(p => p.ToArray<float>()).Should().OnlyContain(v => Math.Abs(v) <= 0.5f, "U(−1/√4, 1/√4)");
        gru.ToString().Should().Be("GRU(inputSize=5, hiddenSize=4, bias=true, batchFirst=false)");
    }

    private static Tensor Sequence(Tensor[] xs)
    {
        (Tensor output, Tensor h) = GRU.Apply(xs[0], xs[1], xs[2], xs[3], xs[4], xs[5]);
        return Tensor.Concatenate([output.Reshape(-1), h.Reshape(-1)]);
    }

    private static double Sigmoid(double a) => 1 / (1 + Math.Exp(-a));
}
