namespace NeuralNet.Tests.Training;

using NeuralNet;
using NeuralNet.Layers;
using NeuralNet.Optimizers;
using NeuralNet.Optimizers.Schedules;

/// <summary>
/// A captured step is the eager step replayed: every replay must give what running the same step eagerly on the same
/// batch gives, bit for bit (losses, parameters, gradients, optimizer and buffer state), allocate nothing once warm, and
/// refuse, while it is captured, whatever a replay could not repeat.
/// </summary>
public class CapturedStepTests
{
    private static Sequential Mlp() => new(
        new Dense(20, 32, seed: 1), new ReLU(),
        new Dense(32, 16, seed: 2), new ReLU(),
        new Dense(16, 5, seed: 3));

    private static Tensor Images(int step, int rows = 12) => Tensor.RandomNormal([rows, 20], seed: 100 + step);

    private static int[] Labels(int step, int rows = 12) => [.. Enumerable.Range(0, rows).Select(i => ((i * 7) + step) % 5)];

    /// <summary>One eager training step: cross-entropy of the labels, backward, an optimizer step; returns the loss.</summary>
    internal static Tensor ClassificationStep(Module model, Optimizer optimizer, Tensor x, int[] y)
    {
        optimizer.ZeroGrad();
        using var tape = Tape.Record();
        Tensor loss = Losses.CrossEntropy(model.Forward(x), y);
        tape.Backward(loss);
        optimizer.Step();
        return loss;
    }

    /// <summary>The bytes this thread allocates over <paramref name="measured"/> replays after <paramref name="warm"/> ones.</summary>
    internal static long BytesOfWarmReplays(CapturedStep step, Tensor x, int[] y, int warm, int measured)
    {
        for (int i = 0; i < warm; i++)
        {
            step.Replay(x, y);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < measured; i++)
        {
            step.Replay(x, y);
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private static void ShouldBeIdentical(IReadOnlyList<Parameter> actual, IReadOnlyList<Parameter> expected)
    {
        for (int i = 0; i < expected.Count; i++)
        {
            actual[i].ToArray<double>().Should().Equal(expected[i].ToArray<double>(), $"parameter {i}");
            actual[i].Grad!.ToArray<double>().Should().Equal(expected[i].Grad!.ToArray<double>(), $"the gradient of parameter {i}");
        }
    }

    [Fact]
    public void ReplaysOfAClassificationStepMatchTheEagerStepBitForBit()
    {
        Sequential eager = Mlp(), captured = Mlp();
        var eagerOptimizer = new Adam(eager.Parameters, learningRate: 1e-2);
        var capturedOptimizer = new Adam(captured.Parameters, learningRate: 1e-2);

        using var step = CapturedStep.Capture(Images(0), Labels(0), (x, y) => ClassificationStep(captured, capturedOptimizer, x, y));
        double first = ClassificationStep(eager, eagerOptimizer, Images(0), Labels(0)).Item();
        step.Output.Item().Should().Be(first);

        for (int s = 1; s < 8; s++)
        {
            double expected = ClassificationStep(eager, eagerOptimizer, Images(s), Labels(s)).Item();
            step.Replay(Images(s), Labels(s)).Item().Should().Be(expected, $"the loss of step {s}");
        }

        ShouldBeIdentical(captured.Parameters, eager.Parameters);
        capturedOptimizer.StepCount.Should().Be(8);
    }

    [Fact]
    public void AWarmReplayThatClipsItsGradientsAllocatesNothing()
    {
        // FitOptions.ClipGradientNorm's path: the clipping runs again at every replay, over the step's own parameters.
        var model = new Sequential(new Dense(20, 32, seed: 1), new ReLU(), new Dense(32, 5, seed: 3));
        var optimizer = new Adam(model.Parameters, learningRate: 1e-3);
        Tensor Step(Tensor x, int[] y)
        {
            optimizer.ZeroGrad();
            Tensor loss;
            using (var tape = Tape.Record())
            {
                loss = Losses.CrossEntropy(model.Forward(x), y);
                tape.Backward(loss);
            }

            GradientClipping.ClipNorm(model.Parameters, maxNorm: 0.5);
            GradientClipping.ClipValue(model.Parameters, clipValue: 0.05);
            optimizer.Step();
            return loss;
        }

        using var step = CapturedStep.Capture(Images(0), Labels(0), Step);
        BytesOfWarmReplays(step, Images(1), Labels(1), warm: 10, measured: 20).Should().Be(0, "the clipping reads and scales the gradients in place");
    }

    [Theory]
    [InlineData(20, 1)]
    [InlineData(784, 2)]
    public void AWarmReplayAllocatesNothing(int features, int threads)
    {
        // 784 inputs: the first layer's products and Adam's update of its weights are large enough to run in parallel.
        var model = new Sequential(new Dense(features, 256, seed: 1), new ReLU(), new Dense(256, 10, seed: 2));
        var optimizer = new Adam(model.Parameters, learningRate: 1e-3);
        int saved = Parallelism.ThreadCount;
        try
        {
            Parallelism.ThreadCount = threads;
            using var step = CapturedStep.Capture(
                Tensor.RandomNormal([128, features], seed: 1), Labels(0, rows: 128), (x, y) => ClassificationStep(model, optimizer, x, y));
            Tensor x = Tensor.RandomNormal([128, features], seed: 2);
            int[] y = Labels(1, rows: 128);
            BytesOfWarmReplays(step, x, y, warm: 30, measured: 50).Should().Be(0, "every kernel of the step writes into its captured buffer");
        }
        finally
        {
            Parallelism.ThreadCount = saved;
        }
    }

    [Fact]
    public void ARegressionStepWithClippingAScheduleAndOpsWithoutInPlaceKernelsReplaysExactly()
    {
        // tanh, sigmoid and a broadcast subtraction take the ordinary forward path; the clipping and the schedule are
        // host updates that must run again at every replay.
        static Sequential Net() => new(new Dense(3, 8, seed: 4, dtype: DType.Float64), new Tanh(), new Dense(8, 2, seed: 5, dtype: DType.Float64), new Sigmoid());
        Sequential eager = Net(), captured = Net();
        var eagerOptimizer = new Sgd(eager.Parameters, learningRate: 0.5, momentum: 0.9, nesterov: true);
        var capturedOptimizer = new Sgd(captured.Parameters, learningRate: 0.5, momentum: 0.9, nesterov: true);
        var eagerSchedule = new StepLR(eagerOptimizer, stepSize: 2, gamma: 0.5);
        var capturedSchedule = new StepLR(capturedOptimizer, stepSize: 2, gamma: 0.5);
        Tensor Step(Module model, Optimizer optimizer, LearningRateSchedule schedule, Tensor x, Tensor target)
        {
            optimizer.ZeroGrad();
            using var tape = Tape.Record();
            Tensor loss = ((model.Forward(x) - target.Mean(0)).Square() + (0.1 * target)).Mean();
            tape.Backward(loss);
            GradientClipping.ClipNorm(optimizer.Parameters, maxNorm: 0.05);
            optimizer.Step();
            schedule.Step();
            return loss;
        }

        Tensor Inputs(int s) => Tensor.RandomNormal([6, 3], seed: 10 + s, dtype: DType.Float64);
        Tensor Targets(int s) => Tensor.RandomUniform([6, 2], seed: 20 + s, dtype: DType.Float64);
        using var step = CapturedStep.Capture(Inputs(0), Targets(0), (x, t) => Step(captured, capturedOptimizer, capturedSchedule, x, t));
        Step(eager, eagerOptimizer, eagerSchedule, Inputs(0), Targets(0));
        for (int s = 1; s < 6; s++)
        {
            double expected = Step(eager, eagerOptimizer, eagerSchedule, Inputs(s), Targets(s)).Item();
            step.Replay(Inputs(s), Targets(s)).Item().Should().Be(expected, $"the loss of step {s}");
        }

        ShouldBeIdentical(captured.Parameters, eager.Parameters);
        capturedOptimizer.LearningRate.Should().Be(0.5 * 0.5 * 0.5 * 0.5, "the schedule stepped six times, halving every second")
            .And.Be(eagerOptimizer.LearningRate);
    }

    [Fact]
    public void BatchNormRunningStatisticsAdvanceAtEveryReplay()
    {
        static Sequential Net() => new(new Dense(4, 6, seed: 6), new BatchNorm1d(6), new ReLU(), new Dense(6, 3, seed: 7));
        Sequential eager = Net(), captured = Net();
        var eagerOptimizer = new Momentum(eager.Parameters, learningRate: 0.1);
        var capturedOptimizer = new Momentum(captured.Parameters, learningRate: 0.1);
        Tensor Batch(int s) => Tensor.RandomNormal([10, 4], seed: 30 + s);
        int[] Classes(int s) => [.. Enumerable.Range(0, 10).Select(i => (i + s) % 3)];
        using var step = CapturedStep.Capture(Batch(0), Classes(0), (x, y) => ClassificationStep(captured, capturedOptimizer, x, y));
        ClassificationStep(eager, eagerOptimizer, Batch(0), Classes(0));
        for (int s = 1; s < 5; s++)
        {
            ClassificationStep(eager, eagerOptimizer, Batch(s), Classes(s));
            step.Replay(Batch(s), Classes(s));
        }

        var eagerNorm = eager.Children.OfType<BatchNorm1d>().Single();
        var capturedNorm = captured.Children.OfType<BatchNorm1d>().Single();
        capturedNorm.RunningMean!.ToArray<float>().Should().Equal(eagerNorm.RunningMean!.ToArray<float>());
        capturedNorm.RunningVar!.ToArray<float>().Should().Equal(eagerNorm.RunningVar!.ToArray<float>());
        ShouldBeIdentical(captured.Parameters, eager.Parameters);
    }

    [Fact]
    public void WhatAReplayCouldNotRepeatIsRefusedWhileCapturing()
    {
        Sequential model = Mlp();
        var optimizer = new Sgd(model.Parameters, learningRate: 0.1);

        Action readsTheLoss = () => CapturedStep.Capture(Images(0), Labels(0), (x, y) =>
        {
            Tensor loss = ClassificationStep(model, optimizer, x, y);
            return loss.Item() > 1 ? loss : loss * 2;
        });
        readsTheLoss.Should().Throw<NotSupportedException>().WithMessage("*Item reads a tensor*on the host*");

        var withDropout = new Sequential(new Dense(20, 5, seed: 1), new Dropout(0.5, seed: 1));
        Action dropsOut = () => CapturedStep.Capture(Images(0), x => withDropout.Forward(x).Sum());
        dropsOut.Should().Throw<NotSupportedException>().WithMessage("*Dropout draws a new mask*");

        Action readsLabelsOnTheHost = () => CapturedStep.Capture(Images(0), Labels(0), (x, y) =>
            Losses.NegativeLogLikelihood(model.Forward(x).LogSoftmax(1), y));
        readsLabelsOnTheHost.Should().Throw<NotSupportedException>().WithMessage("*NegativeLogLikelihood reads the labels on the host*");

        Action nests = () => CapturedStep.Capture(Images(0), x => CapturedStep.Capture(x, inner => inner * 2).Output);
        nests.Should().Throw<InvalidOperationException>().WithMessage("*captures do not nest*");

        Exception? onTheOtherThread = null;
        Action otherThread = () => CapturedStep.Capture(Images(0), x =>
        {
            // A thread started inside the capture inherits its flow, as a Parallel.For's workers would.
            var worker = new Thread(() => onTheOtherThread = Record.Exception(() => x * 2));
            worker.Start();
            worker.Join();
            return x.Sum();
        });
        otherThread();
        onTheOtherThread.Should().BeOfType<InvalidOperationException>().Which.Message.Should().Contain("another thread");

        // A refused capture leaves nothing behind: an eager step and a new capture still work.
        using var step = CapturedStep.Capture(Images(0), Labels(0), (x, y) => ClassificationStep(model, optimizer, x, y));
        step.Replay(Images(1), Labels(1)).Item().Should().BeGreaterThan(0);
    }

    [Fact]
    public void AReplayChecksItsBatchBeforeRunningAnything()
    {
        Sequential model = Mlp();
        var optimizer = new Sgd(model.Parameters, learningRate: 0.1);
        using var step = CapturedStep.Capture(Images(0), Labels(0), (x, y) => ClassificationStep(model, optimizer, x, y));
        float[] before = model.Parameters[0].ToArray<float>();

        step.Invoking(s => s.Replay(Images(1, rows: 13), Labels(1)))
            .Should().Throw<ArgumentException>().WithMessage("*input [13,20] Float32; the step was captured with [12,20] Float32*");
        step.Invoking(s => s.Replay(Images(1), Labels(1, rows: 11)))
            .Should().Throw<ArgumentException>().WithMessage("*11 labels; the step was captured with 12*");
        step.Invoking(s => s.Replay(Images(1)))
            .Should().Throw<ArgumentException>().WithMessage("*captured with inputs and labels*");
        int[] outOfRange = Labels(1);
        outOfRange[3] = 5;
        step.Invoking(s => s.Replay(Images(1), outOfRange))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*SoftmaxCrossEntropy: label 5 (at position 3) is out of range for 5 classes*");

        model.Parameters[0].ToArray<float>().Should().Equal(before, "no replay ran");
        optimizer.StepCount.Should().Be(1);

        step.Dispose();
        step.Invoking(s => s.Replay(Images(1), Labels(1))).Should().Throw<ObjectDisposedException>();
    }

    [Fact]
    public void AGradientClearedOutsideTheStepIsRefilledByTheNextReplay()
    {
        Sequential eager = Mlp(), captured = Mlp();
        var eagerOptimizer = new RmsProp(eager.Parameters, learningRate: 1e-2);
        var capturedOptimizer = new RmsProp(captured.Parameters, learningRate: 1e-2);
        using var step = CapturedStep.Capture(Images(0), Labels(0), (x, y) => ClassificationStep(captured, capturedOptimizer, x, y));
        ClassificationStep(eager, eagerOptimizer, Images(0), Labels(0));

        // An eager step between two replays takes the gradient buffer over; the replay after it must not write into a
        // released buffer, and must still match.
        ClassificationStep(eager, eagerOptimizer, Images(1), Labels(1));
        ClassificationStep(captured, capturedOptimizer, Images(1), Labels(1));
        ClassificationStep(eager, eagerOptimizer, Images(2), Labels(2));
        step.Replay(Images(2), Labels(2));
        ShouldBeIdentical(captured.Parameters, eager.Parameters);
    }

    /// <summary>Piecewise ops whose derivative rules build 0/1 masks directly, and ops whose forward does.</summary>
    public static TheoryData<string> PiecewiseSteps => ["LeakyReLU", "ELU", "MeanAbsoluteError", "Huber", "Clamp", "Where", "Abs", "Maximum", "Max"];

    [Theory]
    [MemberData(nameof(PiecewiseSteps))]
    public void MasksOfPiecewiseOpsAreRecomputedAtEveryReplay(string name)
    {
        Sequential Net() => new(
            new Dense(4, 8, seed: 1),
            name switch { "LeakyReLU" => new LeakyReLU(0.1), "ELU" => new ELU(), _ => new ReLU() },
            new Dense(8, 1, seed: 2));
        Tensor Loss(Tensor p, Tensor t) => name switch
        {
            "MeanAbsoluteError" => Losses.MeanAbsoluteError(p, t),
            "Huber" => Losses.Huber(p, t, delta: 0.5),
            "Clamp" => Losses.MeanSquaredError(p.Clamp(-0.3, 0.3), t),
            "Where" => Losses.MeanSquaredError(Tensor.Where(t > 0.0, p, p * 0.5), t),
            "Abs" => (p - t).Abs().Mean(),
            "Maximum" => Tensor.Maximum(p, t).Mean(),
            "Max" => (p - t).Max(),
            _ => Losses.MeanSquaredError(p, t),
        };
        Tensor Step(Module model, Optimizer optimizer, Tensor x, Tensor t)
        {
            optimizer.ZeroGrad();
            using var tape = Tape.Record();
            Tensor loss = Loss(model.Forward(x), t);
            tape.Backward(loss);
            optimizer.Step();
            return loss;
        }

        Tensor Inputs(int s) => Tensor.RandomNormal([16, 4], seed: 500 + s);
        Tensor Targets(int s) => Tensor.RandomNormal([16, 1], seed: 900 + s);
        Sequential eager = Net(), captured = Net();
        var eagerOptimizer = new Sgd(eager.Parameters, learningRate: 0.1);
        var capturedOptimizer = new Sgd(captured.Parameters, learningRate: 0.1);
        using var step = CapturedStep.Capture(Inputs(0), Targets(0), (x, t) => Step(captured, capturedOptimizer, x, t));
        Step(eager, eagerOptimizer, Inputs(0), Targets(0));
        for (int s = 1; s < 6; s++)
        {
            double expected = Step(eager, eagerOptimizer, Inputs(s), Targets(s)).Item();
            step.Replay(Inputs(s), Targets(s)).Item().Should().Be(expected, $"the {name} loss of step {s}");
        }

        ShouldBeIdentical(captured.Parameters, eager.Parameters);
    }

    [Fact]
    public void GradientsAccumulateOverReplaysOfAStepThatDoesNotClearThem()
    {
        // Micro-batches: a step that only adds its gradient, as a loop accumulating over several batches would.
        Sequential eager = new(new Dense(4, 3, seed: 1)), captured = new(new Dense(4, 3, seed: 1));
        Tensor Backward(Module model, Tensor x, Tensor t)
        {
            using var tape = Tape.Record();
            Tensor loss = Losses.MeanSquaredError(model.Forward(x), t);
            tape.Backward(loss);
            return loss;
        }

        Tensor Inputs(int s) => Tensor.RandomNormal([16, 4], seed: 500 + s);
        Tensor Targets(int s) => Tensor.RandomNormal([16, 3], seed: 77 + s);
        using var step = CapturedStep.Capture(Inputs(0), Targets(0), (x, t) => Backward(captured, x, t));
        Backward(eager, Inputs(0), Targets(0));
        for (int s = 1; s < 4; s++)
        {
            Backward(eager, Inputs(s), Targets(s));
            step.Replay(Inputs(s), Targets(s));
        }

        for (int i = 0; i < eager.Parameters.Count; i++)
        {
            captured.Parameters[i].Grad!.ToArray<float>().Should().Equal(eager.Parameters[i].Grad!.ToArray<float>(), "four batches' gradients, summed");
        }

        // Cleared between replays, the gradient is one batch's again.
        captured.Parameters[0].ZeroGrad();
        eager.Parameters[0].ZeroGrad();
        step.Replay(Inputs(5), Targets(5));
        Backward(eager, Inputs(5), Targets(5));
        captured.Parameters[0].Grad!.ToArray<float>().Should().Equal(eager.Parameters[0].Grad!.ToArray<float>());
    }

    [Fact]
    public void OneHotOfTheCapturedLabelsIsRefused()
    {
        var model = new Sequential(new Dense(20, 5, seed: 1));
        Action encodes = () => CapturedStep.Capture(Images(0), Labels(0), (x, y) => Losses.CrossEntropy(model.Forward(x), Tensor.OneHot(y, 5)));
        encodes.Should().Throw<NotSupportedException>().WithMessage("*OneHot reads the labels on the host*");
    }

    [Fact]
    public void DisposingTheOutputOrATensorOfTheStepDoesNotBreakTheNextReplay()
    {
        Sequential eager = Mlp(), captured = Mlp();
        var eagerOptimizer = new Sgd(eager.Parameters, learningRate: 0.1);
        var capturedOptimizer = new Sgd(captured.Parameters, learningRate: 0.1);
        Tensor Step(Module model, Optimizer optimizer, Tensor x, int[] y)
        {
            optimizer.ZeroGrad();
            Tensor loss;
            using (var tape = Tape.Record())
            {
                Tensor logits = model.Forward(x);
                loss = Losses.CrossEntropy(logits, y);
                tape.Backward(loss);
                logits.Dispose();
            }

            using (Autodiff.NoGrad())
            {
                using Tensor doubled = loss * 2;
            }

            optimizer.Step();
            return loss;
        }

        using var step = CapturedStep.Capture(Images(0), Labels(0), (x, y) => Step(captured, capturedOptimizer, x, y));
        Step(eager, eagerOptimizer, Images(0), Labels(0));
        double expected = 0;
        for (int s = 1; s < 4; s++)
        {
            expected = Step(eager, eagerOptimizer, Images(s), Labels(s)).Item();
            using Tensor loss = step.Replay(Images(s), Labels(s));
            loss.Item().Should().Be(expected);
        }

        step.Output.Item().Should().Be(expected, "the disposed output's buffer is still the step's, under a new view");
        ShouldBeIdentical(captured.Parameters, eager.Parameters);
    }

    /// <summary>An optimizer written with tensor ops (its update is a host update that runs ops of its own).</summary>
    private sealed class TensorSgd(IEnumerable<Parameter> parameters, double learningRate) : Optimizer(parameters, learningRate)
    {
        protected override void Update(Parameter parameter, Tensor gradient, ParameterGroup group)
        {
            using (Autodiff.NoGrad())
            {
                parameter.Assign(parameter - (group.LearningRate * gradient));
            }
        }
    }

    [Fact]
    public void AnOptimizerWrittenWithTensorOpsRunsAgainAtEveryReplay()
    {
        Sequential eager = Mlp(), captured = Mlp();
        var eagerOptimizer = new TensorSgd(eager.Parameters, 0.1);
        var capturedOptimizer = new TensorSgd(captured.Parameters, 0.1);
        using var step = CapturedStep.Capture(Images(0), Labels(0), (x, y) => ClassificationStep(captured, capturedOptimizer, x, y));
        ClassificationStep(eager, eagerOptimizer, Images(0), Labels(0));
        for (int s = 1; s < 4; s++)
        {
            ClassificationStep(eager, eagerOptimizer, Images(s), Labels(s));
            step.Replay(Images(s), Labels(s));
        }

        ShouldBeIdentical(captured.Parameters, eager.Parameters);
    }

    [Fact]
    public void HostReadsInsideTheLibraryAreRefusedToo()
    {
        var model = new Sequential(new Dense(20, 5, seed: 1));
        Action argMax = () => CapturedStep.Capture(Images(0), x =>
        {
            Tensor z = model.Forward(x);
            return Losses.CrossEntropy(z, z.Detach().ArgMax(1));
        });
        argMax.Should().Throw<NotSupportedException>().WithMessage("*ArgMax reads a tensor*");

        Action accuracy = () => CapturedStep.Capture(Images(0), Labels(0), (x, y) =>
        {
            Tensor z = model.Forward(x);
            return Metrics.Accuracy(z, y) > 0.5 ? z.Sum() : z.Mean();
        });
        accuracy.Should().Throw<NotSupportedException>().WithMessage("*ArgMax reads a tensor*");

        Action jacobian = () => CapturedStep.Capture(Images(0), x => Autodiff.Jacobian(v => v.Tanh(), x.Sum(0)).Sum());
        jacobian.Should().Throw<NotSupportedException>().WithMessage("*Jacobian or a Hessian is assembled on the host*");

        Action draws = () => CapturedStep.Capture(Images(0), x => (x + Tensor.RandomNormal(x.Shape, seed: 3)).Sum());
        draws.Should().Throw<NotSupportedException>().WithMessage("*RandomNormal draws on the host*");

        Action copiedLabels = () => CapturedStep.Capture(Images(0), Labels(0), (x, y) => Losses.CrossEntropy(model.Forward(x), y[..]));
        copiedLabels.Should().Throw<NotSupportedException>().WithMessage("*a copy of the captured labels*");
    }

    [Fact]
    public void AReplayRefusesAModeChangedSinceTheCapture()
    {
        var model = new Sequential(new Dense(20, 8, seed: 1), new BatchNorm1d(8), new ReLU(), new Dense(8, 5, seed: 2));
        var optimizer = new Sgd(model.Parameters, learningRate: 0.1);
        using var step = CapturedStep.Capture(Images(0), Labels(0), (x, y) => ClassificationStep(model, optimizer, x, y));
        float[] before = model.Parameters[0].ToArray<float>();

        model.Eval();
        step.Invoking(s => s.Replay(Images(1), Labels(1)))
            .Should().Throw<InvalidOperationException>().WithMessage("*IsTraining was True when the step was captured and is False now*");
        model.Train();
        model.Parameters[0].RequiresGrad = false;
        step.Invoking(s => s.Replay(Images(1), Labels(1)))
            .Should().Throw<InvalidOperationException>().WithMessage("*RequiresGrad was True when the step was captured and is False now*");
        model.Parameters[0].ToArray<float>().Should().Equal(before, "neither replay ran");

        model.Parameters[0].RequiresGrad = true;
        step.Replay(Images(1), Labels(1));
        model.Parameters[0].ToArray<float>().Should().NotEqual(before, "set back, the step replays");
    }

    /// <summary>An optimizer that, when armed, tries to replay <see cref="Target"/> from another thread during its own update.</summary>
    private sealed class Interfering(IEnumerable<Parameter> parameters) : Optimizer(parameters, 0.1)
    {
        public CapturedStep? Target { get; set; }

        public Exception? Seen { get; private set; }

        protected override void Update(Parameter parameter, Tensor gradient, ParameterGroup group)
        {
            if (Target is { } step && Seen is null)
            {
                var other = new Thread(() => Seen = Record.Exception(() => step.Replay(Images(2), Labels(2))));
                other.Start();
                other.Join();
            }
        }
    }

    [Fact]
    public void TwoThreadsCannotReplayOneStepAtOnce()
    {
        Sequential model = Mlp();
        var optimizer = new Interfering(model.Parameters);
        using var step = CapturedStep.Capture(Images(0), Labels(0), (x, y) => ClassificationStep(model, optimizer, x, y));
        optimizer.Target = step;
        step.Replay(Images(1), Labels(1));
        optimizer.Seen.Should().BeOfType<InvalidOperationException>().Which.Message.Should().Contain("being replayed on another thread");
        optimizer.Target = null;
        step.Invoking(s => s.Replay(Images(3), Labels(3))).Should().NotThrow("the step is free again once a replay ends");
    }

    [Fact]
    public void ABufferTwoStepsShareStaysWithTheOneStillAlive()
    {
        // 64 × 20 Float32 is 5 KB, a pooled buffer, made outside any step and read by both.
        Tensor shared = Tensor.RandomNormal([64, 20], seed: 9) * 1.0;
        Tensor reference = Tensor.RandomNormal([64, 20], seed: 9) * 1.0;
        Sequential eager = new(new Dense(20, 5, seed: 1)), first = new(new Dense(20, 5, seed: 1)), second = new(new Dense(20, 5, seed: 1));
        Tensor Step(Module model, Optimizer optimizer, Tensor x, Tensor other)
        {
            optimizer.ZeroGrad();
            using var tape = Tape.Record();
            Tensor loss = (model.Forward(x) - model.Forward(other)).Square().Mean();
            tape.Backward(loss);
            optimizer.Step();
            return loss;
        }

        var eagerOptimizer = new Sgd(eager.Parameters, 0.1);
        var firstOptimizer = new Sgd(first.Parameters, 0.1);
        var secondOptimizer = new Sgd(second.Parameters, 0.1);
        Tensor Batch(int s) => Tensor.RandomNormal([64, 20], seed: 40 + s);
        var a = CapturedStep.Capture(Batch(0), x => Step(first, firstOptimizer, x, shared));
        using var b = CapturedStep.Capture(Batch(0), x => Step(second, secondOptimizer, x, shared));
        double expected = Step(eager, eagerOptimizer, Batch(0), reference).Item();
        b.Output.Item().Should().Be(expected);
        a.Dispose();
        shared.Dispose();
        (Tensor.RandomNormal([64, 20], seed: 1) * 3.0).Dispose();   // a pooled result that would take the buffer back
        expected = Step(eager, eagerOptimizer, Batch(1), reference).Item();
        b.Replay(Batch(1)).Item().Should().Be(expected, "the shared buffer is still pinned by the second step");
    }

    [Fact]
    public void ReplaysAllocateNothingAgainAfterAnEagerStepInBetween()
    {
        Sequential model = Mlp();
        var optimizer = new Adam(model.Parameters, learningRate: 1e-3);
        using var step = CapturedStep.Capture(Images(0, rows: 64), Labels(0, rows: 64), (x, y) => ClassificationStep(model, optimizer, x, y));
        Tensor x = Images(1, rows: 64);
        int[] y = Labels(1, rows: 64);
        ClassificationStep(model, optimizer, x, y);
        BytesOfWarmReplays(step, x, y, warm: 20, measured: 20).Should().Be(0, "the gradient writes adopted the buffers the eager step left");
    }

    [Fact]
    public void LossesThatCheckTheirInputsOnTheHostCheckThemAtEveryReplay()
    {
        Tensor Scores(int s) => Tensor.RandomNormal([12, 1], seed: 60 + s);
        Tensor Signs(int s) => Scores(s + 100).Sign();
        static Sequential Net() => new(new Dense(1, 4, seed: 3), new Tanh(), new Dense(4, 1, seed: 4));
        foreach (string name in new[] { "BinaryCrossEntropy", "Hinge", "GaussianNegativeLogLikelihood" })
        {
            Tensor Loss(Tensor p, Tensor t) => name switch
            {
                "BinaryCrossEntropy" => Losses.BinaryCrossEntropy(p.Sigmoid(), (t + 1.0) * 0.5),
                "Hinge" => Losses.Hinge(p, t),
                _ => Losses.GaussianNegativeLogLikelihood(p, t, p.Square() + 0.1),
            };
            Tensor Step(Module model, Optimizer optimizer, Tensor x, Tensor t)
            {
                optimizer.ZeroGrad();
                using var tape = Tape.Record();
                Tensor loss = Loss(model.Forward(x), t);
                tape.Backward(loss);
                optimizer.Step();
                return loss;
            }

            Sequential eager = Net(), captured = Net();
            var eagerOptimizer = new Sgd(eager.Parameters, 0.1);
            var capturedOptimizer = new Sgd(captured.Parameters, 0.1);
            using var step = CapturedStep.Capture(Scores(0), Signs(0), (x, t) => Step(captured, capturedOptimizer, x, t));
            Step(eager, eagerOptimizer, Scores(0), Signs(0));
            for (int s = 1; s < 4; s++)
            {
                double expected = Step(eager, eagerOptimizer, Scores(s), Signs(s)).Item();
                step.Replay(Scores(s), Signs(s)).Item().Should().Be(expected, $"{name} at step {s}");
            }

            ShouldBeIdentical(captured.Parameters, eager.Parameters);
            if (name == "Hinge")
            {
                step.Invoking(st => st.Replay(Scores(5), Tensor.Zeros([12, 1])))
                    .Should().Throw<ArgumentException>().WithMessage("Hinge: target 0 (at flat index 0 of [12,1]) must be -1 or +1.*");
            }
        }
    }
}
