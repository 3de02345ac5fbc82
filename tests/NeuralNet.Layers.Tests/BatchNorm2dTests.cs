namespace NeuralNet.Layers.Tests;

using NeuralNet;
using NeuralNet.Layers;

public class BatchNorm2dTests
{
    private const double Eps = 1e-5;

    /// <summary>PyTorch's training-mode definition in plain doubles: for x [n, C, h, w], per channel c the mean and
    /// biased variance of its n·h·w values, and y = (x − mean) / √(var + ε) · γ + β.</summary>
    private static (double[] Y, double[] Mean, double[] Var) ByHand(double[] x, int[] shape, double[] gamma, double[] beta)
    {
        int n = shape[0], channels = shape[1], plane = shape[2] * shape[3], count = n * plane;
        var y = new double[x.Length];
        var mean = new double[channels];
        var variance = new double[channels];
        for (int c = 0; c < channels; c++)
        {
            for (int i = 0; i < n; i++)
            {
                for (int p = 0; p < plane; p++)
                {
                    mean[c] += x[(((i * channels) + c) * plane) + p] / count;
                }
            }

            for (int i = 0; i < n; i++)
            {
                for (int p = 0; p < plane; p++)
                {
                    double d = x[(((i * channels) + c) * plane) + p] - mean[c];
                    variance[c] += d * d / count;
                }
            }

            for (int i = 0; i < n; i++)
            {
                for (int p = 0; p < plane; p++)
                {
                    int at = (((i * channels) + c) * plane) + p;
                    y[at] = ((x[at] - mean[c]) / Math.Sqrt(variance[c] + Eps) * gamma[c]) + beta[c];
                }
            }
        }

        return (y, mean, variance);
    }

    private static BatchNorm2d WithAffine(double[] gamma, double[] beta, double momentum = 0.1)
    {
        var norm = new BatchNorm2d(gamma.Length, momentum: momentum, dtype: DType.Float64);
        norm.Weight!.Assign(TestHelpers.F64(gamma, gamma.Length));
        norm.Bias!.Assign(TestHelpers.F64(beta, beta.Length));
        return norm;
    }

    [Fact]
    public void ATwoPixelBatchNormalisesEachChannelToPlusMinusOne()
    {
        // [1, 2, 1, 2]: channel 0 is {1, 3}: mean 2, biased variance 1, so x̂ = ∓1/√(1 + ε). Channel 1 is {5, 5}: x̂ = 0.
        var norm = new BatchNorm2d(2, dtype: DType.Float64);
        double s = 1 / Math.Sqrt(1 + Eps);
        norm.Forward(TestHelpers.F64([1, 3, 5, 5], 1, 2, 1, 2)).ShouldEqual([-s, s, 0, 0], shape: [1, 2, 1, 2]);
    }

    [Fact]
    public void TrainingForwardMatchesTheFormulaComputedByHand()
    {
        double[] gamma = [0.5, -2.0, 1.5], beta = [0.1, 0.0, -3.0];
        int[] shape = [4, 3, 5, 2];
        Tensor x = Tensor.RandomNormal(shape, seed: 1, mean: 2.0, std: 3.0, dtype: DType.Float64);
        (double[] expected, _, _) = ByHand(x.ToArray<double>(), shape, gamma, beta);
        BatchNorm2d norm = WithAffine(gamma, beta);
        norm.Forward(x).ShouldEqual(expected, 1e-12, shape);
        BatchNorm2d.Apply(x, norm.Weight, norm.Bias).ShouldEqual(expected, 1e-12, shape);
    }

    [Fact]
    public void RunningStatisticsFollowPyTorchsRecurrenceWithTheUnbiasedVarianceOverNHW()
    {
        // running_mean ← (1 − m)·running_mean + m·mean; running_var ← (1 − m)·running_var + m·var·n/(n − 1), n = N·H·W.
        const double m = 0.3;
        int[] shape = [2, 3, 3, 4];
        const int n = 2 * 3 * 4;
        BatchNorm2d norm = WithAffine([2.0, 1.0, -1.0], [0.5, 0.5, 0.5], m);
        double[] mean = [0, 0, 0], variance = [1, 1, 1];
        for (int step = 0; step < 2; step++)
        {
            Tensor x = Tensor.RandomNormal(shape, seed: 10 + step, mean: step + 1, std: 1 + step, dtype: DType.Float64);
            (_, double[] batchMean, double[] batchVar) = ByHand(x.ToArray<double>(), shape, [1, 1, 1], [0, 0, 0]);
            for (int c = 0; c < 3; c++)
            {
                mean[c] = ((1 - m) * mean[c]) + (m * batchMean[c]);
                variance[c] = ((1 - m) * variance[c]) + (m * batchVar[c] * n / (n - 1));
            }

            norm.Forward(x);
        }

        norm.RunningMean!.ShouldEqual(mean, 1e-12, [3]);
        norm.RunningVar!.ShouldEqual(variance, 1e-12, [3]);
        norm.NumBatchesTracked!.Item().Should().Be(2);
        norm.NumBatchesTracked.Shape.Should().Be(Shape.ScalarShape);
    }

    [Fact]
    public void EvalModeNormalisesWithTheRunningStatisticsAndLeavesThemAlone()
    {
        double[] gamma = [1.5, -0.5], beta = [0.25, 2.0];
        BatchNorm2d norm = WithAffine(gamma, beta);
        norm.Forward(Tensor.RandomNormal([3, 2, 2, 2], seed: 3, mean: 1.0, dtype: DType.Float64));
        double[] mean = norm.RunningMean!.ToArray<double>(), variance = norm.RunningVar!.ToArray<double>();

        norm.Eval();
        int[] shape = [1, 2, 2, 3];
        Tensor x = Tensor.RandomNormal(shape, seed: 4, dtype: DType.Float64);
        double[] v = x.ToArray<double>();
        double[] expected = [.. Enumerable.Range(0, v.Length).Select(i => ((v[i] - mean[i / 6]) / Math.Sqrt(variance[i / 6] + Eps) * gamma[i / 6]) + beta[i / 6])];
        norm.Forward(x).ShouldEqual(expected, 1e-12, shape);
        norm.RunningMean.ToArray<double>().Should().Equal(mean);
        norm.RunningVar.ToArray<double>().Should().Equal(variance);
        norm.NumBatchesTracked!.Item().Should().Be(1);
    }

    [Fact]
    public void WithoutRunningStatisticsEvalModeUsesTheBatch()
    {
        var norm = new BatchNorm2d(2, trackRunningStats: false, dtype: DType.Float64);
        norm.NamedBuffers.Should().BeEmpty();
        norm.Eval();
        double s = 1 / Math.Sqrt(1 + Eps);
        norm.Forward(TestHelpers.F64([1, 3, 5, 5], 1, 2, 1, 2)).ShouldEqual([-s, s, 0, 0], shape: [1, 2, 1, 2]);
    }

    [Fact]
    public void TheTrainingForwardPassesGradCheckForInputWeightAndBias()
    {
        Tensor x = Tensor.RandomNormal([2, 3, 3, 2], seed: 4, dtype: DType.Float64);
        Tensor w = Tensor.RandomNormal([3], seed: 5, dtype: DType.Float64);
        Tensor b = Tensor.RandomNormal([3], seed: 6, dtype: DType.Float64);
        GradCheckResult functional = Autodiff.GradCheck(xs => BatchNorm2d.Apply(xs[0], xs[1], xs[2]).Tanh(), [x, w, b]);
        functional.Passed.Should().BeTrue(functional.ToString());

        // Through the module, in training mode (batch statistics; each call also updates the running ones).
        var norm = new BatchNorm2d(3, dtype: DType.Float64);
        norm.Weight!.Assign(w);
        norm.Bias!.Assign(b);
        GradCheckResult module = Autodiff.GradCheck(t => norm.Forward(t).Tanh(), x);
        module.Passed.Should().BeTrue(module.ToString());
    }

    [Fact]
    public void ASinglePixelPerChannelIsRefusedInTrainingModeOnly()
    {
        var norm = new BatchNorm2d(3);
        Action act = () => norm.Forward(Tensor.Zeros([1, 3, 1, 1]));
        act.Should().Throw<ArgumentException>().WithMessage("BatchNorm2d(features=3*expected more than 1 value per channel when training, got input [1,3,1,1]*");
        norm.NumBatchesTracked!.Item().Should().Be(0, "nothing was updated");
        norm.Eval();
        norm.Forward(Tensor.Zeros([1, 3, 1, 1])).Shape.Should().Be(new Shape(1, 3, 1, 1));

        // One image of several pixels has more than one value per channel, as in PyTorch.
        norm.Train().Forward(Tensor.RandomNormal([1, 3, 2, 2], seed: 1)).Shape.Should().Be(new Shape(1, 3, 2, 2));
    }

    [Fact]
    public void BadInputsAndSettingsAreRefusedByName()
    {
        var norm = new BatchNorm2d(3);
        ((Action)(() => norm.Forward(Tensor.Zeros([4, 2, 5, 5])))).Should().Throw<ArgumentException>()
            .WithMessage("BatchNorm2d(features=3*input [4,2,5,5] is not [N, 3, H, W]*");
        ((Action)(() => norm.Forward(Tensor.Zeros([4, 3, 5])))).Should().Throw<ArgumentException>().WithMessage("BatchNorm2d*input [4,3,5] is not [N, 3, H, W]*");
        ((Action)(() => norm.Forward(Tensor.Zeros([4, 3])))).Should().Throw<ArgumentException>().WithMessage("BatchNorm2d*input [4,3] is not [N, 3, H, W]*");
        ((Action)(() => norm.Forward(Tensor.Zeros([4, 3, 2, 2], DType.Float64)))).Should().Throw<ArgumentException>()
            .WithMessage("BatchNorm2d*is Float64; the layer's parameters are Float32*");
        ((Action)(() => BatchNorm2d.Apply(Tensor.Zeros([4, 3]), null, null))).Should().Throw<ArgumentException>()
            .WithMessage("BatchNorm2d.Apply: input [4,3] is not [N, C, H, W].*");
        ((Action)(() => _ = new BatchNorm2d(0))).Should().Throw<ArgumentOutOfRangeException>()
            .Where(e => e.ParamName == "features").WithMessage("BatchNorm2d: features = 0 must be positive.*");
        ((Action)(() => _ = new BatchNorm2d(3, eps: -1))).Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "eps");
        ((Action)(() => _ = new BatchNorm2d(3, momentum: 1.5))).Should().Throw<ArgumentOutOfRangeException>()
            .Where(e => e.ParamName == "momentum").WithMessage("BatchNorm2d: momentum = 1.5 is not in [0, 1].*");
    }

    [Fact]
    public void RegistersPyTorchsParametersAndBuffers()
    {
        var model = new Sequential(new Conv2d(1, 4, 3, seed: 1), new BatchNorm2d(4));
        ModuleChecks.AssertRegistered(model);
        model.NamedParameters.Select(p => p.Name).Should().Equal("0.weight", "0.bias", "1.weight", "1.bias");
        model.NamedBuffers.Select(b => b.Name).Should().Equal("1.running_mean", "1.running_var", "1.num_batches_tracked");
        var norm = (BatchNorm2d)model.Children.Last();
        norm.Weight!.ToArray<float>().Should().AllBeEquivalentTo(1f);
        norm.Bias!.ToArray<float>().Should().AllBeEquivalentTo(0f);
        norm.RunningMean!.ToArray<float>().Should().AllBeEquivalentTo(0f);
        norm.RunningVar!.ToArray<float>().Should().AllBeEquivalentTo(1f);
        norm.NumBatchesTracked!.DType.Should().Be(DType.Float64);
        norm.ToString().Should().Be("BatchNorm2d(features=4, eps=1E-05, momentum=0.1, affine=true, trackRunningStats=true)");

        var bare = new BatchNorm2d(3, affine: false);
        bare.Parameters.Should().BeEmpty();
        bare.NamedBuffers.Select(b => b.Name).Should().Equal("running_mean", "running_var", "num_batches_tracked");
    }

    [Fact]
    public void TheSummaryCountsTheBuffersAsNonTrainableAndChangesNoState()
    {
        // Conv2d(1, 4, 3): 36 + 4 trainable. BatchNorm2d(4): γ, β 8 trainable; running mean, variance and count 4 + 4 + 1.
        var model = new Sequential(new Conv2d(1, 4, 3, seed: 1), new BatchNorm2d(4));
        var norm = (BatchNorm2d)model.Children.Last();
        string summary = model.Summary(Tensor.Zeros([1, 1, 5, 5]));
        summary.Split('\n')[^3..].Should().Equal("Total params: 57", "Trainable params: 48", "Non-trainable params: 9");
        summary.Split('\n').Should().ContainSingle(line => line.StartsWith("1 ", StringComparison.Ordinal) && line.Contains("BatchNorm2d", StringComparison.Ordinal) && line.EndsWith(" 17", StringComparison.Ordinal));
        norm.NumBatchesTracked!.Item().Should().Be(0, "the sample pass runs in evaluation mode");
        norm.IsTraining.Should().BeTrue("the modes are restored");
    }
}
