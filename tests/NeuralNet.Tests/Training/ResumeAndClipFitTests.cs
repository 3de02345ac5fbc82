namespace NeuralNet.Tests.Training;

using NeuralNet;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Optimizers;
using NeuralNet.Training;

public class ResumeAndClipFitTests
{
    private static Dataset Data() =>
        new(Tensor.FromArray(TrainingData.Uniform(40, 3, seed: 1)), [.. Enumerable.Range(0, 40).Select(i => i % 2)]);

    private static Sequential Model() => new(new Dense(3, 8, dtype: DType.Float64, seed: 2), new Tanh(), new Dense(8, 2, dtype: DType.Float64, seed: 3));

    private static double[][] Values(Module model) => [.. model.Parameters.Select(p => p.ToArray<double>())];

    [Fact]
    public void InitialEpochRunsTheRemainingEpochsWithTheirShufflesAndStepNumbers()
    {
        Dataset data = Data();
        Sequential straight = Model();
        var straightOptimizer = new GradientDescent(straight.Parameters, learningRate: 0.1, momentum: 0.9);
        Trainer.Fit(straight, straightOptimizer, data, new FitOptions { Epochs = 4, BatchSize = 8, Seed = 5 });

        Sequential resumed = Model();
        var optimizer = new GradientDescent(resumed.Parameters, learningRate: 0.1, momentum: 0.9);
        Trainer.Fit(resumed, optimizer, data, new FitOptions { Epochs = 2, BatchSize = 8, Seed = 5 });
        var steps = new List<(int Epoch, long Step)>();
        FitResult rest = Trainer.Fit(resumed, optimizer, data, new FitOptions
        {
            Epochs = 4, InitialEpoch = 2, BatchSize = 8, Seed = 5, OnBatchEnd = c => steps.Add((c.Epoch, c.Step)),
        });

        rest.History.Select(r => r.Epoch).Should().Equal(3, 4);
        steps.Should().HaveCount(10);
        steps[0].Should().Be((3, 11L), "epochs 1 and 2 took five steps each");
        steps[^1].Should().Be((4, 20L));
        Values(resumed).Should().BeEquivalentTo(Values(straight), o => o.WithStrictOrdering(), "epochs 3 and 4 see the shuffles seed + 3 and seed + 4");
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(5)]
    public void AnInitialEpochOutsideTheRunIsRefused(int initialEpoch)
    {
        Sequential model = Model();
        FluentActions.Invoking(() => Trainer.Fit(model, new Sgd(model.Parameters, learningRate: 0.1), Data(), new FitOptions { Epochs = 4, InitialEpoch = initialEpoch }))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage($"*Fit: InitialEpoch {initialEpoch} must be in [0, Epochs 4]*");
    }

    [Fact]
    public void ARunResumedAfterItsLastEpochTrainsNothing()
    {
        Sequential model = Model();
        double[][] before = Values(model);
        FitResult result = Trainer.Fit(model, new Sgd(model.Parameters, learningRate: 0.1), Data(), new FitOptions { Epochs = 3, InitialEpoch = 3 });
        result.History.Should().BeEmpty();
        Values(model).Should().BeEquivalentTo(before, o => o.WithStrictOrdering());
    }

    [Fact]
    public void ClipGradientNormClipsAfterOnBeforeStepAndReportsThePreClipNorm()
    {
        Sequential model = Model();
        var raw = new List<double>();
        var clipped = new List<double>();
        var reported = new List<double?>();
        double Norm() => Math.Sqrt(model.Parameters.Sum(p => p.Grad!.ToArray<double>().Sum(g => g * g)));
        Trainer.Fit(model, new Sgd(model.Parameters, learningRate: 0.0), Data(), new FitOptions
        {
            Epochs = 1,
            BatchSize = 8,
            ClipGradientNorm = 0.01,
            OnBeforeStep = _ => raw.Add(Norm()),
            OnBatchEnd = c => { clipped.Add(Norm()); reported.Add(c.GradientNorm); },
        });

        raw.Should().HaveCount(5).And.OnlyContain(n => n > 0.01, "the limit is below every raw norm, so each batch is clipped");
        reported.Select(n => n!.Value).Should().Equal(raw, (a, b) => Math.Abs(a - b) <= 1e-12 * b);
        clipped.Should().OnlyContain(n => Math.Abs(n - 0.01) < 1e-6, "clipped to the limit, up to PyTorch's 1e-6 guard");
        FluentActions.Invoking(() => Trainer.Fit(model, new Sgd(model.Parameters, learningRate: 0.1), Data(), new FitOptions { ClipGradientNorm = -1 }))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*ClipGradientNorm -1 must be non-negative*");
    }
}
