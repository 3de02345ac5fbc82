using NeuralNet;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Optimizers;
using NeuralNet.Optimizers.Schedules;
using NeuralNet.Training;

namespace MnistRecipeSample;

/// <summary>The model, optimizer and schedule of the recipe, built the same way every time (seeded).</summary>
public sealed class Recipe
{
    /// <summary>Images per batch.</summary>
    public const int BatchSize = 128;

    /// <summary>Builds the recipe for a run of <paramref name="epochs"/> epochs of <paramref name="stepsPerEpoch"/> batches.</summary>
    public Recipe(int stepsPerEpoch, int epochs)
    {
        StepsPerEpoch = stepsPerEpoch;
        Model = new Sequential(
            new Dense(784, 512, seed: 1), new BatchNorm1d(512), new ReLU(), new Dropout(0.2, seed: 2),
            new Dense(512, 256, seed: 3), new BatchNorm1d(256), new ReLU(), new Dropout(0.2, seed: 4),
            new Dense(256, 10, seed: 5));

        // Decay the Dense weights only: decaying biases and BatchNorm's scale and shift only hurts (the usual recipe).
        Parameter[] weights = [.. Model.Modules.OfType<Dense>().Select(dense => dense.Weight)];
        Parameter[] others = [.. Model.Parameters.Except(weights)];
        Optimizer = new AdamW([new ParameterGroup(weights), new ParameterGroup(others, weightDecay: 0)], learningRate: 2e-3, weightDecay: 0.05);

        // Half an epoch of linear warm-up from 1 % of the rate, then a cosine down to 0 at the last step.
        int total = stepsPerEpoch * epochs, warmUp = Math.Max(1, stepsPerEpoch / 2);
        Schedule = new SequentialLR(
            Optimizer,
            [new LinearLR(Optimizer, startFactor: 0.01, endFactor: 1.0, totalIters: warmUp), new CosineAnnealingLR(Optimizer, tMax: total - warmUp)],
            milestones: [warmUp]);
    }

    /// <summary>Batches per epoch.</summary>
    public int StepsPerEpoch { get; }

    /// <summary>784-512-256-10 with BatchNorm, ReLU and Dropout after each hidden Dense.</summary>
    public Sequential Model { get; }

    /// <summary>AdamW over two groups: Dense weights with decay, everything else without.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>Warm-up then cosine, stepped after every batch.</summary>
    public LearningRateSchedule Schedule { get; }

    /// <summary>Trains from <paramref name="initialEpoch"/> up to <paramref name="endEpoch"/>, clipping the gradient's norm at 1.</summary>
    public FitOptions Options(Dataset test, int endEpoch, int initialEpoch = 0) => new()
    {
        Epochs = endEpoch,
        InitialEpoch = initialEpoch,
        BatchSize = BatchSize,
        Seed = 1,
        Validation = test,
        ClipGradientNorm = 1.0,
        OnBatchEnd = _ => Schedule.Step(),
    };
}
