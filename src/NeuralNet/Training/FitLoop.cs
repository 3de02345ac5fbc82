using System.Diagnostics;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Optimizers;

namespace NeuralNet.Training;

/// <summary>
/// The epochs and batches of <see cref="Trainer.Fit(Module, Optimizer, Dataset, FitOptions?, Func{Tensor, int[], Tensor}?, IProgress{EpochReport}?, CancellationToken)"/>,
/// once for every kind of target: a tape per batch, callbacks, reports, validation and early stopping.
/// </summary>
internal static class FitLoop
{
    /// <summary>Examples per forward pass when scoring a validation set (memory, not results).</summary>
    internal const int EvaluationBatchSize = 1000;

    /// <summary>The mean loss of <paramref name="data"/>, and its accuracy where that means something, in eval mode and without recording.</summary>
    /// <remarks>The model is left in the mode it had before.</remarks>
    public static (double Loss, double? Accuracy) Evaluate<TTargets>(Module model, Objective<TTargets> data, int batchSize)
    {
        using var mode = new ModeScope(model);
        model.Eval();
        return Score(model, data, batchSize);
    }

    /// <summary>Trains in training mode (validation in eval mode); arguments are already checked.</summary>
    /// <remarks>The model is left in the mode it had before, as Keras's <c>fit</c> leaves it.</remarks>
    public static FitResult Run<TTargets>(
        Module model,
        Optimizer optimizer,
        Objective<TTargets> train,
        Objective<TTargets>? validation,
        FitOptions options,
        IProgress<EpochReport>? progress,
        CancellationToken cancellationToken)
    {
        using var mode = new ModeScope(model);
        using CapturedFitStep<TTargets>? captured = options.CaptureSteps ? new(model, optimizer, train, options.ClipGradientNorm) : null;
        var history = new List<EpochReport>();
        double best = double.PositiveInfinity;
        int bestEpoch = 0, sinceBest = 0;
        WeightSnapshot? bestWeights = null;
        var steps = new StepCounter((int)(((long)train.Data.Count + options.BatchSize - 1) / options.BatchSize));
        steps.Taken = (long)options.InitialEpoch * steps.PerEpoch;
        for (int epoch = options.InitialEpoch + 1; epoch <= options.Epochs; epoch++)
        {
            model.Train();
            EpochTotals totals = TrainEpoch(model, optimizer, train, options, epoch, steps, captured, cancellationToken);
            (double Loss, double? Accuracy)? held = validation is null ? null : Evaluate(model, validation, EvaluationBatchSize);
            var report = new EpochReport(
                epoch,
                totals.LossSum / totals.Seen,
                train.HasAccuracy ? (double)totals.Correct / totals.Seen : null,
                held?.Loss,
                held?.Accuracy,
                totals.Elapsed);
            history.Add(report);
            progress?.Report(report);
            var context = new EpochContext(model, optimizer, report);
            options.OnEpochEnd?.Invoke(context);

            bool patienceRanOut = false;
            double monitored = held?.Loss ?? report.TrainLoss;
            if (monitored < best - options.MinDelta)
            {
                best = monitored;
                bestEpoch = epoch;
                sinceBest = 0;
                bestWeights = options.Patience is not null && options.RestoreBestWeights ? new WeightSnapshot(model) : null;
            }
            else if (options.Patience is { } patience && ++sinceBest >= patience)
            {
                patienceRanOut = true;
            }

            if (patienceRanOut || totals.Stopped || context.StopRequested)
            {
                bestWeights?.Restore(model);
                return new FitResult(history, bestEpoch, StoppedEarly: epoch < options.Epochs || totals.Stopped);
            }
        }

        bestWeights?.Restore(model);
        return new FitResult(history, bestEpoch, StoppedEarly: false);
    }

    private static (double Loss, double? Accuracy) Score<TTargets>(Module model, Objective<TTargets> data, int batchSize)
    {
        double lossSum = 0;
        int correct = 0;
        using (Autodiff.NoGrad())
        {
            foreach (int[] rows in DataLoader.RowBatches(data.Data.Count, batchSize, shuffle: false, seed: 0, dropLast: false))
            {
                var (loss, right) = data.Score(model.Forward(data.Data.Inputs.Gather(rows)), rows);
                lossSum += loss.Item() * rows.Length;
                correct += right;
            }
        }

        return (lossSum / data.Data.Count, data.HasAccuracy ? (double)correct / data.Data.Count : null);
    }

    /// <summary>One pass over the training set, batch by batch, until its end or a callback's stop request.</summary>
    private static EpochTotals TrainEpoch<TTargets>(
        Module model,
        Optimizer optimizer,
        Objective<TTargets> train,
        FitOptions options,
        int epoch,
        StepCounter steps,
        CapturedFitStep<TTargets>? captured,
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        double lossSum = 0;
        int correct = 0, seen = 0, batch = 0;
        foreach (int[] rows in DataLoader.RowBatches(train.Data.Count, options.BatchSize, options.Shuffle, options.Seed + epoch, dropLast: false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            double batchLoss;
            double? gradientNorm = null;
            bool replayed = captured is not null && rows.Length == options.BatchSize;
            if (replayed)
            {
                (batchLoss, int right, gradientNorm) = captured!.Run(rows);
                correct += right;
            }
            else
            {
                optimizer.ZeroGrad();
                using var tape = Tape.Record();
                Tensor outputs = model.Forward(Objective.Gather(train.Data.Inputs, rows));
                var (loss, right) = train.Score(outputs, rows);
                tape.Backward(loss);
                batchLoss = loss.Item();
                correct += right;
            }

            seen += rows.Length;
            lossSum += batchLoss * rows.Length;
            var context = new BatchContext(model, optimizer, epoch, ++batch, steps.PerEpoch, ++steps.Taken, rows.Length, seen, batchLoss);
            if (replayed)
            {
                // The replay has clipped and stepped already.
                context.GradientNorm = gradientNorm;
            }
            else
            {
                options.OnBeforeStep?.Invoke(context);
                if (options.ClipGradientNorm is { } maxNorm)
                {
                    context.GradientNorm = GradientClipping.ClipNorm(optimizer.Parameters, maxNorm);
                }

                optimizer.Step();
            }

            options.OnBatchEnd?.Invoke(context);
            if (context.StopRequested)
            {
                return new EpochTotals(lossSum, correct, seen, clock.Elapsed, Stopped: true);
            }
        }

        return new EpochTotals(lossSum, correct, seen, clock.Elapsed, Stopped: false);
    }

    /// <summary>The batches of an epoch, and the optimizer steps taken so far across epochs.</summary>
    private sealed class StepCounter(int perEpoch)
    {
        public int PerEpoch { get; } = perEpoch;

        public long Taken { get; set; }
    }

    /// <summary>What an epoch's batches added up to.</summary>
    private readonly record struct EpochTotals(double LossSum, int Correct, int Seen, TimeSpan Elapsed, bool Stopped);
}
