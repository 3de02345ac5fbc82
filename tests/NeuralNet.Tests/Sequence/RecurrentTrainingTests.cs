namespace NeuralNet.Tests.Sequence;

using NeuralNet;
using NeuralNet.Layers;
using NeuralNet.Optimizers;

public sealed class RecurrentTrainingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("recurrent-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void AnLSTMLearnsToRememberTheFirstElementOfASequence()
    {
        // 64 sequences of 6 random signs; the target is the first sign, which the layer must carry through 5 more steps.
        const int T = 6, N = 64;
        Tensor signs = Tensor.RandomUniform([T, N, 1], seed: 1, low: -1, high: 1).Sign();
        Tensor target = signs.Slice(0, 0, 1).Reshape(N, 1);
        var model = new Sequential(new LSTM(1, 8, seed: 2), new LastStep(), new Dense(8, 1, seed: 6));
        var optimizer = new Adam(model.Parameters, learningRate: 0.02);

        double first = double.NaN, last = double.NaN;
        for (int step = 0; step < 300; step++)
        {
            optimizer.ZeroGrad();
            using (var tape = Tape.Record())
            {
                Tensor loss = Losses.MeanSquaredError(model.Forward(signs), target);
                last = loss.Item();
                first = step == 0 ? last : first;
                tape.Backward(loss);
            }

            optimizer.Step();
        }

        // A constant guess scores the variance of the signs, about 1; remembering nothing more cannot go below it.
        first.Should().BeGreaterThan(0.5);
        last.Should().BeLessThan(0.02 * first, $"the loss should fall from {first}");
    }

    [Fact]
    public void ACheckpointOfARecurrentModelUsesPyTorchsKeysAndRestoresItsOutputs()
    {
        Sequential Model(int seed) => new(new Embedding(7, 3, seed: seed), new GRU(3, 4, seed: seed + 1), new LastStep());
        Sequential saved = Model(1);
        string path = Path.Combine(_dir, "gru.safetensors");
        saved.Save(path);
        Checkpoint.LoadTensors(path).Keys.Should().BeEquivalentTo(
            "0.weight", "1.weight_ih_l0", "1.weight_hh_l0", "1.bias_ih_l0", "1.bias_hh_l0");

        Sequential loaded = Model(10);
        Tensor tokens = Tensor.FromArray(new float[] { 0, 6, 2, 3, 3, 1 }, 3, 2);
        loaded.Forward(tokens).ToArray<float>().Should().NotEqual(saved.Forward(tokens).ToArray<float>());
        loaded.Load(path);
        loaded.Forward(tokens).ToArray<float>().Should().Equal(saved.Forward(tokens).ToArray<float>());
    }
}
