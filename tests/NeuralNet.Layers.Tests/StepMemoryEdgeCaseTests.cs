namespace NeuralNet.Layers.Tests;

using NeuralNet;
using NeuralNet.Layers;

/// <summary>Edge cases of the pooled step memory and the fused ops, from the layers' side.</summary>
[Collection(SerialCollection.Name)]
public class StepMemoryEdgeCaseTests
{
    private static readonly Tensor Batch = Tensor.RandomNormal([32, 64], seed: 4);

    private static Sequential Model() =>
        new(new Dense(64, 300, seed: 1), new Tanh(), new Dense(300, 10, seed: 2));

    [Fact]
    public void AVjpPullbackOfASequentialTakenInsideATrainingStepCanBeCalledAfterIt()
    {
        // The pullback is the caller's (README: transform results are "ordinary values"), and so are the Sequential's
        // activations that its tape saved (Tanh's output): under a transform's tape nothing is recycled.
        Sequential model = Model();
        Func<Tensor, Tensor> pullback;
        using (Tape.Record())
        {
            (_, pullback) = Autodiff.Vjp(model.Forward, Batch);
        }

        Tensor expected = Autodiff.Vjp(model.Forward, Batch).Pullback(Tensor.Ones([32, 10]));
        pullback(Tensor.Ones([32, 10])).ToArray<float>().Should().Equal(expected.ToArray<float>());
    }

    [Fact]
    public void AnInnerTapeCanBackpropagateAfterTheOuterTapeWasDisposedFirst()
    {
        Sequential model = Model();
        var outer = Tape.Record();
        var inner = Tape.Record();
        Tensor output = model.Forward(Batch);
        outer.Dispose();
        var backward = () => inner.Backward(output.Square().Mean());
        backward.Should().NotThrow();
        inner.Dispose();
        model.Parameters.Should().OnlyContain(p => p.Grad != null);
    }

    [Fact]
    public void InferenceUnderNoGradInsideAnOpenTapeDoesNotRetainActivations()
    {
        // Nothing is recorded under NoGrad, so every activation is garbage once Forward returns: the open tape must not
        // keep them until it is disposed.
        var model = new Sequential(new Dense(64, 2048, seed: 1), new ReLU(), new Dense(2048, 10, seed: 2));
        Tensor batch = Tensor.RandomNormal([64, 64], seed: 5);
        using (Tape.Record())
        using (Autodiff.NoGrad())
        {
            model.Forward(batch);
            long before = GC.GetTotalMemory(forceFullCollection: true);
            for (int i = 0; i < 30; i++)
            {
                model.Forward(batch);
            }

            long retained = GC.GetTotalMemory(forceFullCollection: true) - before;
            retained.Should().BeLessThan(8L << 20, "30 finished forward passes leave nothing reachable");
        }
    }

    [Fact]
    public void CrossEntropyOfLargeFloat32LogitsMatchesTheComposedLogSoftmax()
    {
        // Both rows are uniform over two classes: the loss is ln 2 whatever the offset, and the composed form
        // (z_y − m) − log Σ exp(z − m) computes it exactly, where m + log Σ − z_y would lose it to float32 rounding.
        Tensor logits = Tensor.FromArray([1e6f, 1e6f, 3e4f, 3e4f], 2, 2);
        int[] labels = [0, 1];
        double composed = (-logits.LogSoftmax(1).Reshape(-1).Gather([0, 3])).Mean().Item();
        composed.Should().BeApproximately(Math.Log(2), 1e-6);
        Losses.CrossEntropy(logits, labels).Item().Should().BeApproximately(composed, 1e-6);
    }
}
