using BenchmarkDotNet.Attributes;
using NeuralNet;
using NeuralNet.Layers;
using NeuralNet.Optimizers;

namespace NeuralNet.Benchmarks;

/// <summary>
/// One training step of the TorchSharp anchor's <c>mlp-step</c>: a 784-256-128-10 ReLU network, a batch of 128,
/// cross-entropy from logits, backward, and an Adam update.
/// </summary>
[MemoryDiagnoser]
public class MlpStepBenchmarks
{
    private readonly Tensor _images = Tensor.RandomNormal([128, 784], seed: 1);
    private readonly int[] _labels = [.. Enumerable.Range(0, 128).Select(i => (i * 7) % 10)];
    private readonly Sequential _model = new(
        new Dense(784, 256, seed: 1), new ReLU(),
        new Dense(256, 128, seed: 2), new ReLU(),
        new Dense(128, 10, seed: 3));

    private Adam _optimizer = null!;

    /// <summary>Builds the optimizer once the model exists.</summary>
    [GlobalSetup]
    public void Setup() => _optimizer = new Adam(_model.Parameters, learningRate: 1e-3);

    /// <summary>Zero the gradients, forward, loss, backward, Adam step.</summary>
    [Benchmark]
    public void TrainingStep()
    {
        _optimizer.ZeroGrad();
        using (var tape = Tape.Record())
        {
            tape.Backward(Losses.CrossEntropy(_model.Forward(_images), _labels));
        }

        _optimizer.Step();
    }
}
