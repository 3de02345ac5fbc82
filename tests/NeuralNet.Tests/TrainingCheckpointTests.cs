namespace NeuralNet.Tests;

using NeuralNet;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Optimizers;
using NeuralNet.Optimizers.Schedules;

public sealed class TrainingCheckpointTests : IDisposable
{
    private const int BatchesPerEpoch = 4;

    private readonly string _dir = Directory.CreateTempSubdirectory("training-checkpoint-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A model with state of every kind: parameters, BatchNorm buffers and a Dropout draw count.</summary>
    private static Sequential Model() => new(
        new Dense(6, 16, seed: 1), new BatchNorm1d(16), new ReLU(), new Dropout(0.3, seed: 2),
        new Dense(16, 3, seed: 3));

    private static Dataset Data()
    {
        Tensor inputs = Tensor.RandomNormal([BatchesPerEpoch * 8, 6], seed: 4);
        return new Dataset(inputs, [.. Enumerable.Range(0, inputs.Shape[0]).Select(i => i % 3)]);
    }

    /// <summary>AdamW with no decay on biases and norms, a warm-up then cosine schedule stepped per batch.</summary>
    private static (Optimizer Optimizer, LearningRateSchedule Schedule) Recipe(Module model)
    {
        Parameter[] decay = [.. model.NamedParameters.Where(p => p.Name.EndsWith(".weight", StringComparison.Ordinal) && p.Parameter.Rank == 2).Select(p => p.Parameter)];
        Parameter[] noDecay = [.. model.Parameters.Except(decay)];
        var optimizer = new AdamW([new ParameterGroup(decay), new ParameterGroup(noDecay, weightDecay: 0)], learningRate: 0.01, weightDecay: 0.1, amsGrad: true);
        var schedule = new SequentialLR(
            optimizer,
            [new LinearLR(optimizer, startFactor: 0.1, totalIters: 3), new CosineAnnealingLR(optimizer, tMax: 12)],
            milestones: [3]);
        return (optimizer, schedule);
    }

    private static void TrainEpoch(Module model, Optimizer optimizer, LearningRateSchedule schedule, Dataset data, int epoch)
    {
        foreach ((Tensor inputs, int[] labels) in DataLoader.Batches(data, batchSize: 8, shuffle: true, seed: epoch))
        {
            optimizer.ZeroGrad();
            using (var tape = Tape.Record())
            {
                tape.Backward(Losses.CrossEntropy(model.Forward(inputs), labels));
            }

            optimizer.Step();
            schedule.Step();
        }
    }

    private static double[][] State(Module model) =>
        [.. model.Parameters.Select(p => p.ToArray<double>()), .. model.NamedBuffers.Select(b => b.Buffer.ToArray<double>())];

    [Fact]
    public void ResumedTrainingContinuesBitForBitAsTheUninterruptedRun()
    {
        Dataset data = Data();
        Sequential straight = Model();
        (Optimizer straightOptimizer, LearningRateSchedule straightSchedule) = Recipe(straight);
        for (int epoch = 1; epoch <= 4; epoch++)
        {
            TrainEpoch(straight, straightOptimizer, straightSchedule, data, epoch);
        }

        Sequential first = Model();
        (Optimizer firstOptimizer, LearningRateSchedule firstSchedule) = Recipe(first);
        for (int epoch = 1; epoch <= 2; epoch++)
        {
            TrainEpoch(first, firstOptimizer, firstSchedule, data, epoch);
        }

        string path = Path.Combine(_dir, "run.safetensors");
        TrainingCheckpoint.Save(path, first, firstOptimizer, firstSchedule, epoch: 2);

        // A new process: everything built afresh from the same code, then the checkpoint loaded.
        Sequential resumed = Model();
        (Optimizer resumedOptimizer, LearningRateSchedule resumedSchedule) = Recipe(resumed);
        int done = TrainingCheckpoint.Load(path, resumed, resumedOptimizer, resumedSchedule);
        done.Should().Be(2);
        resumedOptimizer.LearningRate.Should().Be(firstOptimizer.LearningRate);
        resumed.Modules.OfType<Dropout>().Single().Draws.Should().Be(2 * BatchesPerEpoch);
        for (int epoch = done + 1; epoch <= 4; epoch++)
        {
            TrainEpoch(resumed, resumedOptimizer, resumedSchedule, data, epoch);
        }

        double[][] expected = State(straight), actual = State(resumed);
        for (int i = 0; i < expected.Length; i++)
        {
            actual[i].Should().Equal(expected[i], $"tensor {i} must match the uninterrupted run bit for bit");
        }

        resumedOptimizer.LearningRate.Should().Be(straightOptimizer.LearningRate);
    }

    [Fact]
    public void AFileOfAnotherModelOrWithoutTheScheduleIsRefusedAndNothingChanges()
    {
        Dataset data = Data();
        Sequential model = Model();
        (Optimizer optimizer, LearningRateSchedule schedule) = Recipe(model);
        TrainEpoch(model, optimizer, schedule, data, epoch: 1);
        string path = Path.Combine(_dir, "run.safetensors");
        TrainingCheckpoint.Save(path, model, optimizer, schedule, epoch: 1);

        Sequential other = new(new Dense(6, 8, seed: 1), new ReLU(), new Dense(8, 3, seed: 3));
        (Optimizer otherOptimizer, LearningRateSchedule otherSchedule) = Recipe(other);
        double[][] before = State(other);
        FluentActions.Invoking(() => TrainingCheckpoint.Load(path, other, otherOptimizer, otherSchedule))
            .Should().Throw<InvalidDataException>().WithMessage("*TrainingCheckpoint:*does not match*Nothing was changed*");
        State(other).Should().BeEquivalentTo(before, o => o.WithStrictOrdering());
        otherOptimizer.StateDict().Keys.Should().NotContain(k => k.StartsWith("state.", StringComparison.Ordinal));

        Sequential fresh = Model();
        (Optimizer freshOptimizer, LearningRateSchedule freshSchedule) = Recipe(fresh);
        double rate = freshOptimizer.LearningRate;
        FluentActions.Invoking(() => TrainingCheckpoint.Load(path, fresh, freshOptimizer))
            .Should().Throw<InvalidDataException>().WithMessage("*holds a schedule's state; pass the schedule*");
        freshOptimizer.LearningRate.Should().Be(rate);
        freshSchedule.Should().NotBeNull();

        string noSchedule = Path.Combine(_dir, "no-schedule.safetensors");
        TrainingCheckpoint.Save(noSchedule, model, optimizer);
        FluentActions.Invoking(() => TrainingCheckpoint.Load(noSchedule, fresh, freshOptimizer, freshSchedule))
            .Should().Throw<InvalidDataException>().WithMessage("*saved without a schedule*");
    }

    [Fact]
    public void AnOptimizerOfAnotherKindRefusesTheStateAndTheModelIsLeftAsItWas()
    {
        Dataset data = Data();
        Sequential model = Model();
        (Optimizer optimizer, LearningRateSchedule schedule) = Recipe(model);
        TrainEpoch(model, optimizer, schedule, data, epoch: 1);
        string path = Path.Combine(_dir, "run.safetensors");
        TrainingCheckpoint.Save(path, model, optimizer, epoch: 1);

        Sequential fresh = Model();
        var sgd = new GradientDescent(fresh.Parameters, learningRate: 0.1, momentum: 0.9);
        double[][] before = State(fresh);
        FluentActions.Invoking(() => TrainingCheckpoint.Load(path, fresh, sgd))
            .Should().Throw<InvalidDataException>().WithMessage("*the optimizer refuses it*");
        State(fresh).Should().BeEquivalentTo(before, o => o.WithStrictOrdering());
    }

    [Fact]
    public void TheModelPartUsesPyTorchsStateDictKeysUnderAPrefix()
    {
        Sequential model = Model();
        (Optimizer optimizer, LearningRateSchedule schedule) = Recipe(model);
        string path = Path.Combine(_dir, "run.safetensors");
        TrainingCheckpoint.Save(path, model, optimizer, schedule, epoch: 0);
        IReadOnlyDictionary<string, Tensor> file = Checkpoint.LoadTensors(path);
        file.Keys.Should().Contain(["model.0.weight", "model.0.bias", "model.1.running_mean", "model.1.num_batches_tracked", "dropout.3.draws", "epoch"]);
        file.Keys.Should().Contain(k => k.StartsWith("optimizer.param_groups.", StringComparison.Ordinal));
        file.Keys.Should().Contain(k => k.StartsWith("schedule.", StringComparison.Ordinal));
        file["epoch"].Item().Should().Be(0);
    }

    [Fact]
    public void AReduceOnPlateauScheduleIsSavedAndRestoredToo()
    {
        Sequential model = Model();
        var optimizer = new Adam(model.Parameters, learningRate: 0.1);
        var plateau = new ReduceLROnPlateau(optimizer, factor: 0.5, patience: 0);
        plateau.Step(1.0);
        plateau.Step(2.0);
        plateau.Step(3.0);
        string path = Path.Combine(_dir, "plateau.safetensors");
        TrainingCheckpoint.Save(path, model, optimizer, plateau, epoch: 3);

        Sequential fresh = Model();
        var freshOptimizer = new Adam(fresh.Parameters, learningRate: 0.1);
        var freshPlateau = new ReduceLROnPlateau(freshOptimizer, factor: 0.5, patience: 0);
        TrainingCheckpoint.Load(path, fresh, freshOptimizer, freshPlateau).Should().Be(3);
        freshPlateau.Reductions.Should().Be(2);
        freshPlateau.Best.Should().Be(1.0);
        freshOptimizer.LearningRate.Should().Be(0.025);

        FluentActions.Invoking(() => TrainingCheckpoint.Save(path, fresh, new Adam(fresh.Parameters), freshPlateau))
            .Should().Throw<ArgumentException>().WithMessage("*ReduceLROnPlateau drives another optimizer*");
    }
}
