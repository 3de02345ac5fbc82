namespace NeuralNet.Tests.Training;

using NeuralNet;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Optimizers;
using NeuralNet.Training;

/// <summary>
/// <see cref="FitOptions.CaptureSteps"/>: a Fit run whose full batches replay one captured step must give what the same
/// run gives eagerly, bit for bit: every epoch's losses and accuracies, every batch's gradient norm, the parameters.
/// </summary>
public class CapturedFitTests
{
    // 100 examples in batches of 32: three full batches and a last one of 4, which runs eagerly.
    private static Dataset Classes(int seed) => new(
        Tensor.FromArray(TrainingData.Uniform(100, 6, seed)).To(DType.Float32),
        [.. Enumerable.Range(0, 100).Select(i => (i * 7 + seed) % 4)]);

    private static Sequential Net() => new(new Dense(6, 16, seed: 1), new ReLU(), new Dense(16, 4, seed: 2));

    private static void ShouldMatch(FitResult actual, FitResult expected)
    {
        actual.History.Should().HaveSameCount(expected.History);
        for (int e = 0; e < expected.History.Count; e++)
        {
            EpochReport a = actual.History[e], x = expected.History[e];
            a.TrainLoss.Should().Be(x.TrainLoss, $"epoch {x.Epoch}'s training loss");
            a.TrainAccuracy.Should().Be(x.TrainAccuracy);
            a.ValidationLoss.Should().Be(x.ValidationLoss);
            a.ValidationAccuracy.Should().Be(x.ValidationAccuracy);
        }
    }

    [Fact]
    public void AClassificationRunMatchesTheEagerRunBitForBit()
    {
        Sequential eager = Net(), captured = Net();
        var options = new FitOptions { Epochs = 3, BatchSize = 32, Validation = Classes(7) };
        FitResult expected = Trainer.Fit(eager, new Adam(eager.Parameters, learningRate: 1e-2), Classes(3), options);
        FitResult actual = Trainer.Fit(captured, new Adam(captured.Parameters, learningRate: 1e-2), Classes(3), options with { CaptureSteps = true });

        ShouldMatch(actual, expected);
        for (int i = 0; i < eager.Parameters.Count; i++)
        {
            captured.Parameters[i].ToArray<float>().Should().Equal(eager.Parameters[i].ToArray<float>(), $"parameter {i}");
        }

        captured.IsTraining.Should().BeTrue("Fit leaves the model in the mode it had");
    }

    [Fact]
    public void ARegressionRunWithClippingReportsTheSameNormsAndWeights()
    {
        double[,] x = TrainingData.Uniform(90, 3, seed: 5);
        Tensor inputs = Tensor.FromArray(x);
        Tensor targets = (inputs.Sum(1, keepDims: true) * 2.0).Tanh();
        var data = new TensorDataset(inputs, targets);
        static Sequential Regressor() => new(new Dense(3, 8, seed: 3, dtype: DType.Float64), new Tanh(), new Dense(8, 1, seed: 4, dtype: DType.Float64));
        Sequential eager = Regressor(), captured = Regressor();
        var eagerNorms = new List<double?>();
        var capturedNorms = new List<double?>();
        var options = new FitOptions { Epochs = 2, BatchSize = 16, ClipGradientNorm = 0.1 };
        FitResult expected = Trainer.Fit(
            eager, new Sgd(eager.Parameters, learningRate: 0.5, momentum: 0.9), data, TrainingData.Mse,
            options with { OnBatchEnd = context => eagerNorms.Add(context.GradientNorm) });
        FitResult actual = Trainer.Fit(
            captured, new Sgd(captured.Parameters, learningRate: 0.5, momentum: 0.9), data, TrainingData.Mse,
            options with { CaptureSteps = true, OnBatchEnd = context => capturedNorms.Add(context.GradientNorm) });

        ShouldMatch(actual, expected);
        capturedNorms.Should().Equal(eagerNorms, "each replay clips by the norm of its own gradients");
        eagerNorms.Should().HaveCount(12).And.OnlyContain(norm => norm > 0);
        for (int i = 0; i < eager.Parameters.Count; i++)
        {
            captured.Parameters[i].ToArray<double>().Should().Equal(eager.Parameters[i].ToArray<double>(), $"parameter {i}");
        }
    }

    [Fact]
    public void WhatCannotBeCapturedIsRefused()
    {
        Sequential model = Net();
        var optimizer = new Sgd(model.Parameters, learningRate: 0.1);
        var withCallback = () => Trainer.Fit(model, optimizer, Classes(1), new FitOptions { CaptureSteps = true, OnBeforeStep = _ => { } });
        withCallback.Should().Throw<ArgumentException>().WithMessage("Fit: CaptureSteps replays each step without running its code again*");

        var withDropout = new Sequential(new Dense(6, 16, seed: 1), new Dropout(0.5, seed: 2), new Dense(16, 4, seed: 3));
        var dropsOut = () => Trainer.Fit(withDropout, new Sgd(withDropout.Parameters, 0.1), Classes(1), new FitOptions { CaptureSteps = true });
        dropsOut.Should().Throw<NotSupportedException>().WithMessage("*Dropout draws a new mask*");
    }

    [Fact]
    public void ACallbackThatFreezesALayerMakesTheNextBatchCaptureAgain()
    {
        Sequential eager = Net(), captured = Net();
        static void FreezeAfterTheFirstEpoch(EpochContext context)
        {
            if (context.Report.Epoch == 1)
            {
                context.Model.Parameters.First().RequiresGrad = false;
            }
        }

        var options = new FitOptions { Epochs = 3, BatchSize = 32, OnEpochEnd = FreezeAfterTheFirstEpoch };
        FitResult expected = Trainer.Fit(eager, new Momentum(eager.Parameters, learningRate: 0.1), Classes(3), options);
        float[] frozen = captured.Parameters[0].ToArray<float>();
        FitResult actual = Trainer.Fit(captured, new Momentum(captured.Parameters, learningRate: 0.1), Classes(3), options with { CaptureSteps = true });

        ShouldMatch(actual, expected);
        for (int i = 0; i < eager.Parameters.Count; i++)
        {
            captured.Parameters[i].ToArray<float>().Should().Equal(eager.Parameters[i].ToArray<float>(), $"parameter {i}");
        }

        captured.Parameters[0].ToArray<float>().Should().NotEqual(frozen, "the first epoch trained it");
    }
}
