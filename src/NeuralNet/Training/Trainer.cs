using System.Diagnostics;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Optimizers;

namespace NeuralNet.Training;

/// <summary>
/// The training loop on top of tapes, modules and optimizers (Keras's <c>fit</c>): mini-batches, a tape per batch,
/// backpropagation, an optimizer step, per-epoch reports, validation and early stopping.
/// </summary>
public static class Trainer
{
    /// <summary>
    /// Trains <paramref name="model"/> on <paramref name="train"/>: for each batch, records the loss on a tape,
    /// backpropagates and lets <paramref name="optimizer"/> step.
    /// </summary>
    /// <param name="model">The model; its parameters should be the optimizer's.</param>
    /// <param name="optimizer">Updates the parameters from their gradients.</param>
    /// <param name="train">The training set.</param>
    /// <param name="options">Epochs, batch size, shuffling, validation and early stopping; defaults when null.</param>
    /// <param name="loss">The loss of a batch's outputs and labels; cross-entropy from logits when null.</param>
    /// <param name="progress">Receives a report after every epoch.</param>
    /// <remarks>Accuracy compares each row's arg-max with its label; a model with one output column is read as a
    /// binary logit (class 1 where it is positive), for a loss such as binary cross-entropy with logits.</remarks>
    /// <param name="cancellationToken">Stops training between batches.</param>
    /// <returns>The reports of every epoch, the best epoch, and whether training stopped early.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    /// <exception cref="ArgumentException">The training set is empty, or the optimizer updates none of the model's parameters.</exception>
    /// <exception cref="OperationCanceledException">Training was cancelled.</exception>
    public static FitResult Fit(
        Module model,
        Optimizer optimizer,
        Dataset train,
        FitOptions? options = null,
        Func<Tensor, int[], Tensor>? loss = null,
        IProgress<EpochReport>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(train);
        options ??= new FitOptions();
        options.Validate();
        if (train.Count == 0)
        {
            throw new ArgumentException("Fit: the training set is empty; there is nothing to train on.", nameof(train));
        }

        // An optimizer built over another model's parameters would step them and leave this one untrained.
        var owned = new HashSet<Parameter>(model.Parameters, ReferenceEqualityComparer.Instance);
        if (!optimizer.Parameters.Any(owned.Contains))
        {
            throw new ArgumentException(
                $"Fit: the optimizer updates {optimizer.Parameters.Count} parameters, none of them the model's; build it over model.Parameters.",
                nameof(optimizer));
        }
        loss ??= (logits, labels) => Losses.CrossEntropy(logits, labels);

        var history = new List<EpochReport>();
        double best = double.PositiveInfinity;
        int bestEpoch = 0, sinceBest = 0;
        Tensor[]? bestWeights = null;
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            double lossSum = 0;
            int correct = 0;
            foreach (int[] rows in DataLoader.RowBatches(train.Count, options.BatchSize, options.Shuffle, options.Seed + epoch, dropLast: false))
            {
                cancellationToken.ThrowIfCancellationRequested();
                optimizer.ZeroGrad();
                using (var tape = Tape.Record())
                {
                    // The batch is gathered inside the step and seen only by the model, so its buffer goes back with the tape.
                    Tensor inputs = train.Inputs.Gather(rows);
                    Tape.Recycle(inputs);
                    int[] labels = DataLoader.LabelsOf(train, rows);
                    Tensor outputs = model.Forward(inputs);
                    Tensor batchLoss = loss(outputs, labels);
                    tape.Backward(batchLoss);
                    lossSum += batchLoss.Item() * labels.Length;
                    correct += CountCorrect(outputs, labels);
                }

                optimizer.Step();
            }

            clock.Stop();
            (double Loss, double Accuracy)? validation = options.Validation is { } held ? Evaluate(model, held, loss) : null;
            var report = new EpochReport(
                epoch, lossSum / train.Count, (double)correct / train.Count, validation?.Loss, validation?.Accuracy, clock.Elapsed);
            history.Add(report);
            progress?.Report(report);

            double monitored = validation?.Loss ?? report.TrainLoss;
            if (monitored < best - options.MinDelta)
            {
                best = monitored;
                bestEpoch = epoch;
                sinceBest = 0;
                bestWeights = options.Patience is not null && options.RestoreBestWeights ? Snapshot(model) : null;
            }
            else if (options.Patience is { } patience && ++sinceBest >= patience)
            {
                Restore(model, bestWeights);
                return new FitResult(history, bestEpoch, StoppedEarly: epoch < options.Epochs);
            }
        }

        Restore(model, bestWeights);
        return new FitResult(history, bestEpoch, StoppedEarly: false);
    }

    /// <summary>The mean loss and the accuracy of <paramref name="model"/> on <paramref name="data"/>, without recording.</summary>
    /// <param name="model">The model.</param>
    /// <param name="data">The examples to score.</param>
    /// <param name="loss">The loss of outputs and labels; cross-entropy from logits when null.</param>
    /// <param name="batchSize">Examples per forward pass (memory, not results).</param>
    public static (double Loss, double Accuracy) Evaluate(
        Module model, Dataset data, Func<Tensor, int[], Tensor>? loss = null, int batchSize = 1000)
    {
        loss ??= (logits, labels) => Losses.CrossEntropy(logits, labels);
        double lossSum = 0;
        int correct = 0;
        using (Autodiff.NoGrad())
        {
            foreach (var (inputs, labels) in DataLoader.Batches(data, batchSize))
            {
                Tensor outputs = model.Forward(inputs);
                lossSum += loss(outputs, labels).Item() * labels.Length;
                correct += CountCorrect(outputs, labels);
            }
        }

        return (lossSum / data.Count, (double)correct / data.Count);
    }

    /// <summary>
    /// Predictions against labels: the arg-max of each row, or, for a single output column (one binary logit),
    /// class 1 where the logit is positive.
    /// </summary>
    private static int CountCorrect(Tensor outputs, int[] labels)
    {
        int[] predicted = outputs.Rank == 2 && outputs.Shape[1] == 1
            ? [.. outputs.ToArray<double>().Select(logit => logit > 0 ? 1 : 0)]
            : outputs.ArgMax();
        int correct = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            correct += predicted[i] == labels[i] ? 1 : 0;
        }

        return correct;
    }

    private static Tensor[] Snapshot(Module model) => [.. model.Parameters.Select(Copy)];

    /// <summary>A copy of the values (Detach would share the storage the optimizer keeps updating).</summary>
    private static Tensor Copy(Parameter p) => p.DType == DType.Float32
        ? Tensor.FromSpan(p.Values<float>()).Reshape(p.Shape)
        : Tensor.FromSpan(p.Values<double>()).Reshape(p.Shape);

    private static void Restore(Module model, Tensor[]? weights)
    {
        if (weights is null)
        {
            return;
        }

        for (int i = 0; i < weights.Length; i++)
        {
            model.Parameters[i].Assign(weights[i]);
        }
    }
}
