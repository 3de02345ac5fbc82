namespace NeuralNet.Tests.Autodiff;

using NeuralNet;

/// <summary>
/// Recording across threads is correct or refused, never wrong: a tape records on one thread at a time (work started
/// inside its scope sees it, and is refused), independent tapes on independent threads are fully supported, and a
/// tape follows its flow across an await.
/// </summary>
public class ThreadingTests
{
    private const string Refusal = "*tried to record on a tape that thread * is recording on*";

    [Fact]
    public void AParallelForOfPerSampleLossesInsideOneTapeMatchesTheSequentialRunOrIsRefused()
    {
        Tensor samples = Tensor.RandomNormal([64, 8], seed: 1, dtype: DType.Float64);
        Tensor expected = SequentialGradient(samples);
        for (int run = 0; run < 20; run++)
        {
            var w = new Parameter(Tensor.RandomNormal([8], seed: 2, dtype: DType.Float64), "w");
            var losses = new Tensor[samples.Shape[0]];
            using var tape = Tape.Record();
            try
            {
                Parallel.For(0, losses.Length, i => losses[i] = (samples.Slice(0, i, 1) * w).Tanh().Sum());
            }
            catch (AggregateException e)
            {
                e.InnerExceptions.Should().AllBeOfType<InvalidOperationException>()
                    .And.AllSatisfy(inner => inner.Message.Should().Match(Refusal));
                continue;
            }

            tape.Backward(losses.Aggregate((a, b) => a + b));
            w.Grad!.ToArray<double>().Should().Equal(expected.ToArray<double>(), $"run {run} recorded everything");
        }
    }

    [Fact]
    public void WorkOnAnotherThreadInsideATapeScopeIsRefusedWhileTheOwnerWaits()
    {
        var w = new Parameter(Tensor.FromArray([1.0, 2.0]), "w");
        using var tape = Tape.Record();

        // A task on a thread of its own (Wait may run a queued task inline on the waiting owner, which is fine).
        var task = () => Task.Factory.StartNew(() => (w * w).Sum(), TaskCreationOptions.LongRunning).Wait();
        task.Should().Throw<AggregateException>().WithInnerException<InvalidOperationException>().WithMessage("Multiply: " + Refusal);

        // A thread started inside the scope inherits the flow, and the tape with it.
        Exception? error = null;
        var thread = new Thread(() => error = Record.Exception(() => (w * w).Sum()));
        thread.Start();
        thread.Join();
        error.Should().BeOfType<InvalidOperationException>().Which.Message.Should().Match("Multiply: " + Refusal);
        tape.Count.Should().Be(0, "the refused ops left nothing on the tape");
    }

    [Fact]
    public void WorkThatRecordsNothingRunsOnOtherThreadsInsideATape()
    {
        var w = new Parameter(Tensor.FromArray([1.0, 2.0]), "w");
        Tensor constant = Tensor.FromArray([3.0, 4.0]);
        using var tape = Tape.Record();
        var sums = new double[100];
        Parallel.For(0, sums.Length, i =>
        {
            using (Autodiff.NoGrad())
            {
                sums[i] = (w * constant).Sum().Item();
            }

            sums[i] += (constant * i).Sum().Item();
        });
        sums.Select((s, i) => s - (7.0 * i)).Should().AllSatisfy(s => s.Should().Be(11));
        tape.Count.Should().Be(0, "nothing was recorded");
    }

    [Fact]
    public void ParallelGradsSharingOneInputThroughAClosureAreAllExact()
    {
        // Every call watches the same tensor x on its own tape; x is also used as a constant in the others' functions.
        Tensor x = Tensor.FromArray([0.5, -1.0, 2.0]);
        double[] expected = [.. x.ToArray<double>().Select(v => 2 * v * Math.Cos(v * v))];
        var wrong = 0;
        Parallel.For(0, 20_000, i =>
        {
            Tensor g = i % 2 == 0
                ? Autodiff.Grad(v => v.Square().Sin().Sum(), x)
                : Autodiff.Grad(v => (v.Square().Sin() + (x * 0.0)).Sum(), x);
            if (!g.ToArray<double>().SequenceEqual(expected))
            {
                Interlocked.Increment(ref wrong);
            }
        });
        wrong.Should().Be(0);
        x.WatchCount.Should().Be(0, "every tape let go of x");
    }

    [Fact]
    public void TwoThreadsBackpropagatingIntoOneSharedParameterLoseNoUpdate()
    {
        var shared = new Parameter(Tensor.FromArray([1.0]), "shared");
        var threads = Enumerable.Range(0, 2).Select(_ => new Thread(() =>
        {
            for (int k = 0; k < 3_000; k++)
            {
                using var tape = Tape.Record();
                tape.Backward(shared.Sum());
            }
        })).ToArray();
        foreach (Thread t in threads)
        {
            t.Start();
        }

        foreach (Thread t in threads)
        {
            t.Join();
        }

        shared.Grad!.Item().Should().Be(6_000);
    }

    [Fact]
    public void TwoModelsTrainedAtOnceMatchTheSameTrainingRunSequentially()
    {
        double[][] sequential = [Train(seed: 1), Train(seed: 2)];
        var concurrent = new double[2][];
        var threads = new[] { 0, 1 }.Select(k => new Thread(() => concurrent[k] = Train(seed: k + 1))).ToArray();
        foreach (Thread t in threads)
        {
            t.Start();
        }

        foreach (Thread t in threads)
        {
            t.Join();
        }

        concurrent[0].Should().Equal(sequential[0]);
        concurrent[1].Should().Equal(sequential[1]);
    }

    [Fact]
    public async Task ATapeFollowsItsFlowAcrossAwaitsEveryTime()
    {
        for (int run = 0; run < 200; run++)
        {
            var w = new Parameter(Tensor.FromArray([3.0]), "w");
            using var tape = Tape.Record();
            Tensor square = w * w;
            await Task.Yield();
            Tensor cube = await RecordAsync(square, w);
            await Task.Run(() => Thread.SpinWait(10));
            Tensor fromWorker = await Task.Run(() => cube * w);
            tape.Backward(fromWorker.Sum());
            w.Grad!.Item().Should().Be(4 * 27, $"run {run}: d/dw w⁴ = 4w³");
        }
    }

    private static async Task<Tensor> RecordAsync(Tensor square, Tensor w)
    {
        await Task.Delay(1);
        return square * w;
    }

    private static Tensor SequentialGradient(Tensor samples)
    {
        var w = new Parameter(Tensor.RandomNormal([8], seed: 2, dtype: DType.Float64), "w");
        var losses = new Tensor[samples.Shape[0]];
        using var tape = Tape.Record();
        for (int i = 0; i < losses.Length; i++)
        {
            losses[i] = (samples.Slice(0, i, 1) * w).Tanh().Sum();
        }

        tape.Backward(losses.Aggregate((a, b) => a + b));
        return w.Grad!;
    }

    /// <summary>A small regression trained by gradient descent; returns the final weights.</summary>
    private static double[] Train(int seed)
    {
        Tensor x = Tensor.RandomNormal([32, 4], seed: seed, dtype: DType.Float64);
        Tensor y = x.MatMul(Tensor.FromArray([1.0, -2.0, 0.5, 3.0], 4, 1)).Tanh();
        var w = new Parameter(Tensor.Zeros([4, 1], DType.Float64), "w");
        for (int step = 0; step < 300; step++)
        {
            using (var tape = Tape.Record())
            {
                tape.Backward((x.MatMul(w).Tanh() - y).Square().Mean());
            }

            w.Assign(w.Detach() - (0.3 * w.Grad!));
            w.ZeroGrad();
        }

        return w.ToArray<double>();
    }
}
