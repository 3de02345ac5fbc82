namespace NeuralNet.Layers.Tests;

using NeuralNet;
using NeuralNet.Layers;

public class LayerNormTests
{
    [Fact]
    public void ARowIsNormalisedByItsMeanAndBiasedVariance()
    {
        // Row [1, 2, 3]: mean 2, biased variance 2/3, so y = (x − 2)/√(2/3 + ε) · γ + β.
        var norm = new LayerNorm(3, dtype: DType.Float64);
        norm.Weight!.Assign(TestHelpers.F64([1, 2, -1], 3));
        norm.Bias!.Assign(TestHelpers.F64([0, 0.5, 1], 3));
        double s = 1 / Math.Sqrt((2.0 / 3) + 1e-5);
        norm.Forward(TestHelpers.F64([1, 2, 3, 4, 4, 4], 2, 3)).ShouldEqual([-s, 0.5, 1 - s, 0, 0.5, 1], 1e-12, [2, 3]);
    }

    [Fact]
    public void MatchesTheFormulaByHandOnEveryRowOfARankThreeInput()
    {
        Tensor x = Tensor.RandomNormal([2, 3, 4], seed: 1, mean: 1.0, std: 2.0, dtype: DType.Float64);
        double[] v = x.ToArray<double>();
        var expected = new double[v.Length];
        for (int row = 0; row < 6; row++)
        {
            double[] r = v[(row * 4)..((row * 4) + 4)];
            double mean = r.Average(), variance = r.Select(e => (e - mean) * (e - mean)).Average();
            for (int j = 0; j < 4; j++)
            {
                expected[(row * 4) + j] = (r[j] - mean) / Math.Sqrt(variance + 1e-3);
            }
        }

        var norm = new LayerNorm(4, eps: 1e-3, dtype: DType.Float64);
        norm.Forward(x).ShouldEqual(expected, 1e-12, [2, 3, 4]);
        norm.Eval().Forward(x).ShouldEqual(expected, 1e-12, [2, 3, 4]);
    }

    [Fact]
    public void PassesGradCheckForInputWeightAndBias()
    {
        Tensor x = Tensor.RandomNormal([3, 4], seed: 2, dtype: DType.Float64);
        Tensor w = Tensor.RandomNormal([4], seed: 3, dtype: DType.Float64);
        Tensor b = Tensor.RandomNormal([4], seed: 4, dtype: DType.Float64);
        GradCheckResult result = Autodiff.GradCheck(xs => LayerNorm.Apply(xs[0], xs[1], xs[2]).Tanh(), [x, w, b]);
        result.Passed.Should().BeTrue(result.ToString());
        GradCheckResult module = Autodiff.GradCheck(t => new LayerNorm(4, dtype: DType.Float64).Forward(t).Tanh(), x);
        module.Passed.Should().BeTrue(module.ToString());
    }

    [Fact]
    public void RegistersWeightOnesAndBiasZerosUnlessNotAffine()
    {
        var norm = new LayerNorm(5);
        ModuleChecks.AssertRegistered(norm);
        norm.NamedParameters.Select(p => p.Name).Should().Equal("weight", "bias");
        norm.Weight!.ToArray<float>().Should().AllBeEquivalentTo(1f);
        norm.Bias!.ToArray<float>().Should().AllBeEquivalentTo(0f);
        norm.NamedBuffers.Should().BeEmpty();
        new LayerNorm(5, elementwiseAffine: false).Parameters.Should().BeEmpty();
        norm.ToString().Should().Be("LayerNorm(features=5, eps=1E-05, elementwiseAffine=true)");
    }

    [Fact]
    public void BadInputsAndSettingsAreRefusedByName()
    {
        var norm = new LayerNorm(3);
        ((Action)(() => norm.Forward(Tensor.Zeros([2, 4])))).Should().Throw<ArgumentException>().WithMessage("LayerNorm(features=3*input [2,4] does not end in 3 features*");
        ((Action)(() => norm.Forward(Tensor.Zeros([2, 3], DType.Float64)))).Should().Throw<ArgumentException>().WithMessage("*is Float64*");
        ((Action)(() => _ = new LayerNorm(0))).Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "features");
        ((Action)(() => _ = new LayerNorm(3, eps: double.NaN))).Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "eps");
    }
}
