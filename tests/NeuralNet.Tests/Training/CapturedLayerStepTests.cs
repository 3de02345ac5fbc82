namespace NeuralNet.Tests.Training;

using NeuralNet;
using NeuralNet.Layers;
using NeuralNet.Optimizers;

/// <summary>
/// A captured step of a convolutional or a recurrent network replays bit-identically to the eager step: the
/// convolution's unfold and fold, max pooling, whose arg-max must follow every new batch, and the recurrent layers'
/// per-step slices and products. Buffers a layer writes in the step (BatchNorm2d's running statistics) match too.
/// </summary>
public class CapturedLayerStepTests
{
    private static Sequential Cnn() => new(
        new Conv2d(2, 4, 3, padding: 1, seed: 1), new ReLU(),
        new MaxPool2d(2),
        new Conv2d(4, 3, (2, 3), stride: (1, 2), padding: (0, 1), dilation: (2, 1), seed: 3), new ReLU(),
        new AvgPool2d(2, stride: 1),
        new Flatten(),
        new Dense(3, 5, seed: 5));

    private static Tensor Images(int step) => Tensor.RandomNormal([6, 2, 8, 8], seed: 200 + step);

    private static int[] Labels(int step) => [.. Enumerable.Range(0, 6).Select(i => ((i * 3) + step) % 5)];

    [Fact]
    public void ReplaysOfAConvolutionalStepMatchTheEagerStepBitForBit() =>
        // [6,2,8,8] → conv 3×3 padding 1 → [6,4,8,8] → max pool 2 → [6,4,4,4] → conv (2,3) stride (1,2) padding (0,1)
        // dilation (2,1) → [6,3,2,2] → avg pool 2 → [6,3,1,1] → [6,3] → [6,5]. Random batches move every arg-max.
        ReplaysMatchTheEagerStep(Cnn, Images);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void AWarmReplayOfAConvolutionalStepAllocatesNothing(int threads)
    {
        // The benchmark's LeNet on 8 images: the second unfold and the products are large enough to run in parallel, and
        // both pools rewrite their arg-max in place, which the scatter of the backward pass reads.
        var model = new Sequential(
            new Conv2d(1, 32, 3, seed: 1), new ReLU(), new MaxPool2d(2),
            new Conv2d(32, 64, 3, seed: 3), new ReLU(), new MaxPool2d(2),
            new Flatten(), new Dense(1600, 10, seed: 5));
        var optimizer = new Adam(model.Parameters, learningRate: 1e-3);
        int saved = Parallelism.ThreadCount;
        try
        {
            Parallelism.ThreadCount = threads;
            int[] labels = [.. Enumerable.Range(0, 8).Select(i => (i * 7) % 10)];
            using var step = CapturedStep.Capture(
                Tensor.RandomNormal([8, 1, 28, 28], seed: 1), labels, (x, y) => CapturedStepTests.ClassificationStep(model, optimizer, x, y));
            CapturedStepTests.BytesOfWarmReplays(step, Tensor.RandomNormal([8, 1, 28, 28], seed: 2), labels, warm: 5, measured: 10)
                .Should().Be(0, "unfold, fold, the pools' gather and scatter and the products all write into their captured buffers");
        }
        finally
        {
            Parallelism.ThreadCount = saved;
        }
    }

    [Fact]
    public void AWarmReplayOfAPaddedStridedDilatedStepWithAnAveragePoolAllocatesNothing()
    {
        Sequential model = Cnn();
        var optimizer = new Adam(model.Parameters, learningRate: 1e-2);
        using var step = CapturedStep.Capture(Images(0), Labels(0), (x, y) => CapturedStepTests.ClassificationStep(model, optimizer, x, y));
        CapturedStepTests.BytesOfWarmReplays(step, Images(1), Labels(1), warm: 5, measured: 10).Should().Be(0, "the padded unfold and fold clear their captured buffers and write them");
    }

    [Fact]
    public void ReplaysOfABatchNormalisedConvolutionalStepMatchTheEagerStepBitForBit() =>
        // [6,2,8,8] → conv 3×3 padding 1 → [6,4,8,8] → batch norm over 6·8·8 values per channel → max pool 2 → [6,4,4,4]
        // → conv 3×3 → [6,3,2,2] → batch norm → [6,12] → [6,5]. Each replay must advance the running statistics.
        ReplaysMatchTheEagerStep(
            () => new Sequential(
                new Conv2d(2, 4, 3, padding: 1, seed: 1), new BatchNorm2d(4), new ReLU(),
                new MaxPool2d(2),
                new Conv2d(4, 3, 3, seed: 3), new BatchNorm2d(3, momentum: 0.3), new ReLU(),
                new Flatten(),
                new Dense(12, 5, seed: 5)),
            Images);

    [Fact]
    public void ReplaysOfARecurrentStepMatchTheEagerStepBitForBit() =>
        // [N=6, T=7, 3] batch-first through an LSTM, a GRU and a ReLU RNN stacked, the last step to five classes.
        ReplaysMatchTheEagerStep(
            () => new Sequential(
                new LSTM(3, 5, batchFirst: true, seed: 1),
                new GRU(5, 4, batchFirst: true, seed: 5),
                new RNN(4, 4, RnnNonlinearity.Relu, batchFirst: true, seed: 9),
                new LastStep(batchFirst: true),
                new Dense(4, 5, seed: 13)),
            step => Tensor.RandomNormal([6, 7, 3], seed: 300 + step));

    [Fact]
    public void AnEmbeddingIsRefusedBecauseItReadsItsIndicesOnTheHost()
    {
        // A replay would reuse the indices of the capture's batch: the capture must refuse rather than freeze them.
        var model = new Sequential(new Embedding(10, 4, seed: 1), new Flatten(), new Dense(12, 5, seed: 3));
        var optimizer = new Adam(model.Parameters, learningRate: 1e-2);
        Tensor tokens = Tensor.FromArray([1f, 2, 3, 4, 5, 6], 2, 3);

        var capture = () => CapturedStep.Capture(tokens, [0, 1], (x, y) => CapturedStepTests.ClassificationStep(model, optimizer, x, y));

        capture.Should().Throw<NotSupportedException>().WithMessage("*ToArray*");
    }

    private static void ReplaysMatchTheEagerStep(Func<Sequential> build, Func<int, Tensor> inputs)
    {
        Sequential eager = build(), captured = build();
        var eagerOptimizer = new Adam(eager.Parameters, learningRate: 1e-2);
        var capturedOptimizer = new Adam(captured.Parameters, learningRate: 1e-2);

        using var step = CapturedStep.Capture(inputs(0), Labels(0), (x, y) => CapturedStepTests.ClassificationStep(captured, capturedOptimizer, x, y));
        step.Output.Item().Should().Be(CapturedStepTests.ClassificationStep(eager, eagerOptimizer, inputs(0), Labels(0)).Item());

        for (int s = 1; s < 8; s++)
        {
            double expected = CapturedStepTests.ClassificationStep(eager, eagerOptimizer, inputs(s), Labels(s)).Item();
            step.Replay(inputs(s), Labels(s)).Item().Should().Be(expected, $"the loss of step {s}");
        }

        for (int i = 0; i < eager.Parameters.Count; i++)
        {
            captured.Parameters[i].ToArray<double>().Should().Equal(eager.Parameters[i].ToArray<double>(), $"parameter {i}");
            captured.Parameters[i].Grad!.ToArray<double>().Should().Equal(eager.Parameters[i].Grad!.ToArray<double>(), $"the gradient of parameter {i}");
        }

        (string Name, Tensor Buffer)[] eagerBuffers = [.. eager.NamedBuffers], capturedBuffers = [.. captured.NamedBuffers];
        capturedBuffers.Select(b => b.Name).Should().Equal(eagerBuffers.Select(b => b.Name));
        for (int i = 0; i < eagerBuffers.Length; i++)
        {
            capturedBuffers[i].Buffer.ToArray<double>().Should().Equal(eagerBuffers[i].Buffer.ToArray<double>(), $"buffer {eagerBuffers[i].Name}");
        }
    }
}
