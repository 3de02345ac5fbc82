namespace NeuralNet.Layers.Tests;

using NeuralNet;
using NeuralNet.Layers;

public class BatchNorm1dTests
{
    private const double Eps = 1e-5;

    /// <summary>PyTorch's training-mode definition in plain doubles: per column c of x [n, C], mean and biased variance.</summary>
    private static (double[] Y, double[] Mean, double[] Var) ByHand(double[] x, int n, int channels, double[] gamma, double[] beta)
    {
        var y = new double[x.Length];
        var mean = new double[channels];
        var variance = new double[channels];
        for (int c = 0; c < channels; c++)
        {
            for (int i = 0; i < n; i++)
            {
                mean[c] += x[(i * channels) + c] / n;
            }

            for (int i = 0; i < n; i++)
            {
                double d = x[(i * channels) + c] - mean[c];
                variance[c] += d * d / n;
            }

            for (int i = 0; i < n; i++)
            {
                y[(i * channels) + c] = ((x[(i * channels) + c] - mean[c]) / Math.Sqrt(variance[c] + Eps) * gamma[c]) + beta[c];
            }
        }

        return (y, mean, variance);
    }

    private static BatchNorm1d WithAffine(double[] gamma, double[] beta)
    {
        var norm = new BatchNorm1d(gamma.Length, dtype: DType.Float64);
        norm.Weight!.Assign(TestHelpers.F64(gamma, gamma.Length));
        norm.Bias!.Assign(TestHelpers.F64(beta, beta.Length));
        return norm;
    }

    [Fact]
    public void ATwoRowBatchNormalisesEachColumnToPlusMinusOne()
    {
        // Column 0 is {1, 3}: mean 2, biased variance 1, so x̂ = ∓1/√(1 + ε). Column 1 is {5, 5}: variance 0, x̂ = 0.
        var norm = new BatchNorm1d(2, dtype: DType.Float64);
        double s = 1 / Math.Sqrt(1 + Eps);
        norm.Forward(TestHelpers.F64([1, 5, 3, 5], 2, 2)).ShouldEqual([-s, 0, s, 0], shape: [2, 2]);
    }

    [Fact]
    public void TrainingForwardMatchesTheFormulaComputedByHand()
    {
        double[] gamma = [0.5, -2.0, 1.5], beta = [0.1, 0.0, -3.0];
        Tensor x = Tensor.RandomNormal([5, 3], seed: 1, mean: 2.0, std: 3.0, dtype: DType.Float64);
        (double[] expected, _, _) = ByHand(x.ToArray<double>(), 5, 3, gamma, beta);
        WithAffine(gamma, beta).Forward(x).ShouldEqual(expected, 1e-12, [5, 3]);
    }

    [Fact]
    public void ThreeDimensionalInputsAreNormalisedOverTheBatchAndLengthAxes()
    {
        // [N, C, L] = [2, 2, 3]: channel c gathers x[n, c, l] over n and l (6 values).
        Tensor x = Tensor.RandomNormal([2, 2, 3], seed: 2, dtype: DType.Float64);
        double[] v = x.ToArray<double>();

        // Channel-major as [C, N·L], i.e. the [6, 2] layout ByHand reads with rows (n, l) and columns c.
        var rows = new double[12];
        for (int n = 0; n < 2; n++)
        {
            for (int c = 0; c < 2; c++)
            {
                for (int l = 0; l < 3; l++)
                {
                    rows[((n * 3) + l) * 2 + c] = v[(n * 6) + (c * 3) + l];
                }
            }
        }

        (double[] byRow, _, _) = ByHand(rows, 6, 2, [2.0, 0.5], [1.0, -1.0]);
        var expected = new double[12];
        for (int n = 0; n < 2; n++)
        {
            for (int c = 0; c < 2; c++)
            {
                for (int l = 0; l < 3; l++)
                {
                    expected[(n * 6) + (c * 3) + l] = byRow[((n * 3) + l) * 2 + c];
                }
            }
        }

        WithAffine([2.0, 0.5], [1.0, -1.0]).Forward(x).ShouldEqual(expected, 1e-12, [2, 2, 3]);
    }

    [Fact]
    public void RunningStatisticsFollowPyTorchsRecurrenceOverThreeSteps()
    {
        // running_mean ← (1 − m)·running_mean + m·mean; running_var ← (1 − m)·running_var + m·var·n/(n − 1).
        const double m = 0.2;
        var norm = new BatchNorm1d(3, momentum: m, dtype: DType.Float64);
        double[] mean = [0, 0, 0], variance = [1, 1, 1];
        for (int step = 0; step < 3; step++)
        {
            Tensor x = Tensor.RandomNormal([4, 3], seed: 10 + step, mean: step, std: 1 + step, dtype: DType.Float64);
            (_, double[] batchMean, double[] batchVar) = ByHand(x.ToArray<double>(), 4, 3, [1, 1, 1], [0, 0, 0]);
            for (int c = 0; c < 3; c++)
            {
                mean[c] = ((1 - m) * mean[c]) + (m * batchMean[c]);
                variance[c] = ((1 - m) * variance[c]) + (m * batchVar[c] * 4 / 3);
            }

            norm.Forward(x);
        }

        norm.RunningMean!.ShouldEqual(mean, 1e-12);
        norm.RunningVar!.ShouldEqual(variance, 1e-12);
        norm.NumBatchesTracked!.Item().Should().Be(3);
        norm.NumBatchesTracked.Shape.Should().Be(Shape.ScalarShape, "PyTorch's num_batches_tracked is a 0-d tensor");
    }

    [Fact]
    public void EvalModeNormalisesWithTheRunningStatisticsAndLeavesThemAlone()
    {
        double[] gamma = [1.5, -0.5], beta = [0.25, 2.0];
        BatchNorm1d norm = WithAffine(gamma, beta);
        norm.Forward(Tensor.RandomNormal([6, 2], seed: 3, mean: 1.0, dtype: DType.Float64));
        double[] mean = norm.RunningMean!.ToArray<double>(), variance = norm.RunningVar!.ToArray<double>();

        norm.Eval();
        Tensor x = TestHelpers.F64([0.5, -1.0], 1, 2);
        double[] expected = [.. Enumerable.Range(0, 2).Select(c => ((x.ToArray<double>()[c] - mean[c]) / Math.Sqrt(variance[c] + Eps) * gamma[c]) + beta[c])];
        norm.Forward(x).ShouldEqual(expected, 1e-12, [1, 2]);
        norm.RunningMean.ToArray<double>().Should().Equal(mean);
        norm.RunningVar.ToArray<double>().Should().Equal(variance);
        norm.NumBatchesTracked!.Item().Should().Be(1);
    }

    [Fact]
    public void WithoutRunningStatisticsEvalModeUsesTheBatch()
    {
        var norm = new BatchNorm1d(2, trackRunningStats: false, dtype: DType.Float64);
        norm.NamedBuffers.Should().BeEmpty();
        norm.RunningMean.Should().BeNull();
        norm.Eval();
        double s = 1 / Math.Sqrt(1 + Eps);
        norm.Forward(TestHelpers.F64([1, 5, 3, 5], 2, 2)).ShouldEqual([-s, 0, s, 0], shape: [2, 2]);
    }

    [Fact]
    public void WithoutAffineThereAreNoParameters()
    {
        var norm = new BatchNorm1d(3, affine: false);
        norm.Parameters.Should().BeEmpty();
        norm.Weight.Should().BeNull();
        norm.NamedBuffers.Select(b => b.Name).Should().Equal("running_mean", "running_var", "num_batches_tracked");
    }

    [Fact]
    public void TheTrainingForwardPassesGradCheckForInputWeightAndBias()
    {
        Tensor x = Tensor.RandomNormal([5, 3], seed: 4, dtype: DType.Float64);
        Tensor w = Tensor.RandomNormal([3], seed: 5, dtype: DType.Float64);
        Tensor b = Tensor.RandomNormal([3], seed: 6, dtype: DType.Float64);
        Autodiff.GradCheck(xs => BatchNorm1d.Apply(xs[0], xs[1], xs[2]).Tanh(), [x, w, b]).Passed.Should().BeTrue();

        Tensor x3 = Tensor.RandomNormal([2, 3, 4], seed: 7, dtype: DType.Float64);
        GradCheckResult threeD = Autodiff.GradCheck(xs => BatchNorm1d.Apply(xs[0], xs[1], xs[2]).Tanh(), [x3, w, b]);
        threeD.Passed.Should().BeTrue(threeD.ToString());

        // Through the module, in training mode (batch statistics; each call also updates the running ones).
        var norm = new BatchNorm1d(3, dtype: DType.Float64);
        GradCheckResult module = Autodiff.GradCheck(t => norm.Forward(t).Tanh(), x);
        module.Passed.Should().BeTrue(module.ToString());
    }

    [Fact]
    public void RunningStatisticsSurviveTrainingStepsInsideTapeScopes()
    {
        // 200 channels: the batch statistics (1.6 KB) are pooled buffers of each step, given back when its tape is disposed.
        const int channels = 200;
        var model = new Sequential(new Dense(channels, channels, dtype: DType.Float64, seed: 1), new BatchNorm1d(channels, dtype: DType.Float64));
        var norm = (BatchNorm1d)model.Children.Last();
        var mean = new double[channels];
        var variance = Enumerable.Repeat(1.0, channels).ToArray();
        for (int step = 0; step < 4; step++)
        {
            Tensor x = Tensor.RandomNormal([8, channels], seed: 20 + step, dtype: DType.Float64);
            double[] hidden;
            using (Autodiff.NoGrad())
            {
                hidden = ((Dense)model.Children.First()).Forward(x).ToArray<double>();
            }

            (_, double[] batchMean, double[] batchVar) = ByHand(hidden, 8, channels, new double[channels], new double[channels]);
            for (int c = 0; c < channels; c++)
            {
                mean[c] = (0.9 * mean[c]) + (0.1 * batchMean[c]);
                variance[c] = (0.9 * variance[c]) + (0.1 * batchVar[c] * 8 / 7);
            }

            model.ZeroGrad();
            using (var tape = Tape.Record())
            {
                tape.Backward(model.Forward(x).Square().Sum());
            }
        }

        norm.RunningMean!.ShouldEqual(mean, 1e-10);
        norm.RunningVar!.ShouldEqual(variance, 1e-10);
        norm.NumBatchesTracked!.Item().Should().Be(4);
        norm.Weight!.Grad.Should().NotBeNull();
    }

    [Fact]
    public void ASingleRowIsRefusedInTrainingModeOnly()
    {
        var norm = new BatchNorm1d(3);
        Action act = () => norm.Forward(Tensor.Zeros([1, 3]));
        act.Should().Throw<ArgumentException>().WithMessage("BatchNorm1d(features=3*expected more than 1 value per channel when training, got input [1,3]*");
        norm.NumBatchesTracked!.Item().Should().Be(0, "nothing was updated");
        norm.Eval();
        norm.Forward(Tensor.Zeros([1, 3])).Shape.Should().Be(new Shape(1, 3));
    }

    [Fact]
    public void BadInputsAndSettingsAreRefusedByName()
    {
        var norm = new BatchNorm1d(3);
        ((Action)(() => norm.Forward(Tensor.Zeros([4, 2])))).Should().Throw<ArgumentException>().WithMessage("*input [4,2] is not [N, 3] or [N, 3, L]*");
        ((Action)(() => norm.Forward(Tensor.Zeros([4])))).Should().Throw<ArgumentException>().WithMessage("*input [4] is not [N, 3]*");
        ((Action)(() => norm.Forward(Tensor.Zeros([4, 3], DType.Float64)))).Should().Throw<ArgumentException>().WithMessage("*is Float64; the layer's parameters are Float32*");
        ((Action)(() => _ = new BatchNorm1d(0))).Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "features");
        ((Action)(() => _ = new BatchNorm1d(3, eps: -1))).Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "eps");
        ((Action)(() => _ = new BatchNorm1d(3, momentum: 1.5))).Should().Throw<ArgumentOutOfRangeException>()
            .Where(e => e.ParamName == "momentum").WithMessage("BatchNorm1d: momentum = 1.5 is not in [0, 1].*");
    }

    [Fact]
    public void RegistersPyTorchsParametersAndBuffers()
    {
        var model = new Sequential(new BatchNorm1d(4), new Dense(4, 2));
        ModuleChecks.AssertRegistered(model);
        model.NamedParameters.Select(p => p.Name).Should().Equal("0.weight", "0.bias", "1.weight", "1.bias");
        model.NamedBuffers.Select(b => b.Name).Should().Equal("0.running_mean", "0.running_var", "0.num_batches_tracked");
        var norm = (BatchNorm1d)model.Children.First();
        norm.Weight!.ToArray<float>().Should().AllBeEquivalentTo(1f);
        norm.Bias!.ToArray<float>().Should().AllBeEquivalentTo(0f);
        norm.RunningMean!.ToArray<float>().Should().AllBeEquivalentTo(0f);
        norm.RunningVar!.ToArray<float>().Should().AllBeEquivalentTo(1f);
        norm.NumBatchesTracked!.DType.Should().Be(DType.Float64);
        norm.ToString().Should().Be("BatchNorm1d(features=4, eps=1E-05, momentum=0.1, affine=true, trackRunningStats=true)");
    }

    [Fact]
    public void TheSummaryCountsTheBuffersAsNonTrainableAndChangesNoState()
    {
        // Dense(3, 4): 12 + 4 trainable. BatchNorm1d(4): γ, β 8 trainable; running mean, variance and count 4 + 4 + 1.
        var model = new Sequential(new Dense(3, 4, seed: 1), new BatchNorm1d(4));
        var norm = (BatchNorm1d)model.Children.Last();
        string summary = model.Summary(Tensor.Zeros([1, 3]));
        summary.Split('\n')[^3..].Should().Equal("Total params: 33", "Trainable params: 24", "Non-trainable params: 9");
        summary.Split('\n').Should().ContainSingle(line => line.StartsWith("1 ", StringComparison.Ordinal) && line.Contains("BatchNorm1d", StringComparison.Ordinal) && line.EndsWith(" 17", StringComparison.Ordinal));
        norm.NumBatchesTracked!.Item().Should().Be(0, "the sample pass runs in evaluation mode");
        norm.IsTraining.Should().BeTrue("the modes are restored");
    }
}
