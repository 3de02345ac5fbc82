namespace NeuralNet.Tests.Training;

using NeuralNet;
using NeuralNet.Data;
using NeuralNet.Optimizers;
using NeuralNet.Training;

public class CallbackTests
{
    // Ten examples in batches of four: 4 + 4 + 2, so three batches an epoch, the last one partial.
    private static TensorDataset Ten() => new(
        TrainingData.Column([.. Enumerable.Range(1, 10).Select(i => (double)i)]),
        TrainingData.Column([.. Enumerable.Range(1, 10).Select(i => 2.0 * i)]));

    [Fact]
    public void HooksRunInOrderOncePerBatchAndEpochOnTheCallingThread()
    {
        var model = new Scale();
        var optimizer = new GradientDescent(model.Parameters, learningRate: 0.001);
        var events = new List<string>();
        var batches = new List<BatchContext>();
        var threads = new HashSet<int>();
        void Batch(string hook, BatchContext c)
        {
            events.Add($"{hook} {c.Epoch}.{c.Batch}/{c.Batches} step {c.Step} size {c.Size} seen {c.SamplesSeen}");
            threads.Add(Environment.CurrentManagedThreadId);
        }

        FitResult result = Trainer.Fit(
            model, optimizer, Ten(), TrainingData.Mse,
            new FitOptions
            {
                Epochs = 2,
                BatchSize = 4,
                OnBeforeStep = c => Batch("before", c),
                OnBatchEnd = c =>
                {
                    Batch("end", c);
                    batches.Add(c);
                },
                OnEpochEnd = c =>
                {
                    events.Add($"epoch {c.Epoch}");
                    threads.Add(Environment.CurrentManagedThreadId);
                },
            },
            new SynchronousProgress<EpochReport>(r => events.Add($"progress {r.Epoch}")));

        events.Should().Equal(
            "before 1.1/3 step 1 size 4 seen 4", "end 1.1/3 step 1 size 4 seen 4",
            "before 1.2/3 step 2 size 4 seen 8", "end 1.2/3 step 2 size 4 seen 8",
            "before 1.3/3 step 3 size 2 seen 10", "end 1.3/3 step 3 size 2 seen 10",
            "progress 1", "epoch 1",
            "before 2.1/3 step 4 size 4 seen 4", "end 2.1/3 step 4 size 4 seen 4",
            "before 2.2/3 step 5 size 4 seen 8", "end 2.2/3 step 5 size 4 seen 8",
            "before 2.3/3 step 6 size 2 seen 10", "end 2.3/3 step 6 size 2 seen 10",
            "progress 2", "epoch 2");
        threads.Should().Equal(Environment.CurrentManagedThreadId);
        batches.Should().OnlyContain(c => ReferenceEquals(c.Optimizer, optimizer) && ReferenceEquals(c.Model, model));
        for (int epoch = 0; epoch < 2; epoch++)
        {
            var b = batches.Skip(3 * epoch).Take(3).ToArray();
            double weighted = (4 * b[0].Loss + 4 * b[1].Loss + 2 * b[2].Loss) / 10;
            result.History[epoch].TrainLoss.Should().BeApproximately(weighted, 1e-12);
        }
    }

    [Fact]
    public void ProgressReportsArriveInOrderBeforeFitReturns()
    {
        var model = new Scale();
        var reports = new List<(EpochReport Report, int Thread)>();
        FitResult result = Trainer.Fit(
            model, new GradientDescent(model.Parameters, 0.001), Ten(), TrainingData.Mse, new FitOptions { Epochs = 5, BatchSize = 4 },
            new SynchronousProgress<EpochReport>(r => reports.Add((r, Environment.CurrentManagedThreadId))));

        // Read as soon as Fit returns: nothing is still in flight on another thread.
        reports.Select(r => r.Report.Epoch).Should().Equal(1, 2, 3, 4, 5);
        reports.Select(r => r.Report).Should().Equal(result.History);
        reports.Should().OnlyContain(r => r.Thread == Environment.CurrentManagedThreadId);
    }

    [Fact]
    public void AStopRequestedAfterABatchEndsTheEpochThereAndReportsWhatWasTrained()
    {
        var model = new Scale();
        var optimizer = new GradientDescent(model.Parameters, 0.001);
        var losses = new List<double>();
        var epochEnds = new List<int>();
        FitResult result = Trainer.Fit(
            model, optimizer, Ten(), TrainingData.Mse,
            new FitOptions
            {
                Epochs = 4,
                BatchSize = 4,
                OnBatchEnd = c =>
                {
                    losses.Add(c.Loss);
                    if (c is { Epoch: 2, Batch: 2 })
                    {
                        c.RequestStop();
                    }
                },
                OnEpochEnd = c => epochEnds.Add(c.Epoch),
            });

        optimizer.StepCount.Should().Be(5, "three steps in epoch 1, and the stopping batch's step is still taken");
        losses.Should().HaveCount(5);
        epochEnds.Should().Equal(1, 2);
        result.History.Select(r => r.Epoch).Should().Equal(1, 2);
        result.History[1].TrainLoss.Should().BeApproximately((losses[3] + losses[4]) / 2, 1e-12, "the partial epoch averages its 8 examples");
        result.StoppedEarly.Should().BeTrue();
    }

    [Fact]
    public void AStopRequestedAfterAnEpochEndsTraining()
    {
        var model = new Scale();
        var optimizer = new GradientDescent(model.Parameters, 0.001);
        FitResult result = Trainer.Fit(
            model, optimizer, Ten(), TrainingData.Mse,
            new FitOptions { Epochs = 5, BatchSize = 4, OnEpochEnd = c => { if (c.Epoch == 2) { c.RequestStop(); } } });

        result.History.Should().HaveCount(2);
        result.StoppedEarly.Should().BeTrue();
        optimizer.StepCount.Should().Be(6);

        var last = Trainer.Fit(
            model, optimizer, Ten(), TrainingData.Mse, new FitOptions { Epochs = 2, BatchSize = 4, OnEpochEnd = c => c.RequestStop() });
        last.History.Should().HaveCount(1);
        last.StoppedEarly.Should().BeTrue();
    }

    [Fact]
    public void OnBeforeStepSeesTheGradientAndCanClipIt()
    {
        // x = (1, 2), y = (2, 4), w = 0: the MSE gradient is mean(2(wx − y)x) = (2·(−2)·1 + 2·(−4)·2) / 2 = −10.
        // Clipped to −1 before the step, gradient descent at rate 0.1 moves w to 0.1 rather than 1.
        var model = new Scale();
        var data = new TensorDataset(TrainingData.Column(1, 2), TrainingData.Column(2, 4));
        double seen = double.NaN, after = double.NaN;
        Trainer.Fit(
            model, new GradientDescent(model.Parameters, 0.1), data, TrainingData.Mse,
            new FitOptions
            {
                Epochs = 1,
                BatchSize = 2,
                OnBeforeStep = c =>
                {
                    Parameter w = c.Optimizer.Parameters[0];
                    seen = w.Grad!.Item();
                    w.Grad = Tensor.FromArray([Math.Clamp(seen, -1, 1)], 1, 1);
                },
                OnBatchEnd = _ => after = model.Weight,
            });

        seen.Should().BeApproximately(-10, 1e-12);
        after.Should().BeApproximately(0.1, 1e-12);
    }

    [Fact]
    public void ALearningRateSetInOnBatchEndAppliesFromTheNextStep()
    {
        // A schedule that drops the rate to 0 after the first step: the weight moves once, then stays.
        var model = new Scale();
        var weights = new List<double>();
        Trainer.Fit(
            model, new GradientDescent(model.Parameters, 0.001), Ten(), TrainingData.Mse,
            new FitOptions
            {
                Epochs = 2,
                BatchSize = 4,
                OnBatchEnd = c =>
                {
                    weights.Add(model.Weight);
                    c.Optimizer.LearningRate = 0;
                },
            });

        weights.Should().HaveCount(6);
        weights[0].Should().NotBe(0);
        weights.Should().AllBeEquivalentTo(weights[0]);
    }
}
