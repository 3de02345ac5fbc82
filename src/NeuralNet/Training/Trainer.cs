using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Optimizers;

namespace NeuralNet.Training;

/// <summary>
/// The training loop on top of tapes, modules and optimizers (Keras's <c>fit</c>): mini-batches, a tape per batch,
/// backpropagation, an optimizer step, callbacks, per-epoch reports, validation and early stopping, for class labels
/// (<see cref="Dataset"/>) and for tensor targets (<see cref="TensorDataset"/>) alike.
/// </summary>
/// <remarks>
/// A batch's inputs and targets are temporaries of its step: the model and the loss may read them, but should not
/// keep them past the step (their buffers go back to the pool). Everything, callbacks and progress reports included,
/// runs synchronously on the calling thread.
/// </remarks>
public static class Trainer
{
    /// <summary>
    /// Trains <paramref name="model"/> on class labels: for each batch, records the loss on a tape, backpropagates and
    /// lets <paramref name="optimizer"/> step. Reports accuracy beside the loss.
    /// </summary>
    /// <param name="model">The model; its parameters should be the optimizer's.</param>
    /// <param name="optimizer">Updates the parameters from their gradients.</param>
    /// <param name="train">The training set.</param>
    /// <param name="options">Epochs, batch size, shuffling, validation (a <see cref="Dataset"/>), early stopping and
    /// callbacks; defaults when null.</param>
    /// <param name="loss">The loss of a batch's outputs and labels, one number; cross-entropy from logits when null.</param>
    /// <param name="progress">Receives a report after every epoch, before the next begins. <see cref="Progress{T}"/>
    /// posts it elsewhere (out of order in a console app); <see cref="SynchronousProgress{T}"/> does not.</param>
    /// <param name="cancellationToken">Stops training between batches.</param>
    /// <remarks>Accuracy compares each row's arg-max with its label; a model with one output column is read as a
    /// binary logit (class 1 where it is positive), for a loss such as binary cross-entropy with logits.</remarks>
    /// <returns>The reports of every epoch, the best epoch, and whether training stopped early.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/>, <paramref name="optimizer"/> or <paramref name="train"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    /// <exception cref="ArgumentException">A data set is empty, the validation set is not a <see cref="Dataset"/> or its
    /// rows are shaped differently, the optimizer updates none of the model's parameters, or the loss is not one number.</exception>
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
        options = Check(model, optimizer, train, options);
        loss ??= CrossEntropy;
        Objective<int[]>? validation = options.Validation switch
        {
            null => null,
            Dataset held => Objective.Labels(held, loss),
            var other => throw KindMismatch(other, train),
        };
        return FitLoop.Run(model, optimizer, Objective.Labels(train, loss), validation, options, progress, cancellationToken);
    }

    /// <summary>
    /// Trains <paramref name="model"/> on tensor targets (regression, several outputs, probabilities) by any
    /// <paramref name="loss"/>: for each batch, records the loss on a tape, backpropagates and lets
    /// <paramref name="optimizer"/> step. Reports no accuracy.
    /// </summary>
    /// <param name="model">The model; its parameters should be the optimizer's.</param>
    /// <param name="optimizer">Updates the parameters from their gradients.</param>
    /// <param name="train">The training set.</param>
    /// <param name="loss">The loss of a batch's (predictions, targets), one number, e.g.
    /// <c>(p, t) =&gt; Losses.MeanSquaredError(p, t)</c>.</param>
    /// <param name="options">Epochs, batch size, shuffling, validation (a <see cref="TensorDataset"/>), early stopping
    /// and callbacks; defaults when null.</param>
    /// <param name="progress">Receives a report after every epoch, before the next begins. <see cref="Progress{T}"/>
    /// posts it elsewhere (out of order in a console app); <see cref="SynchronousProgress{T}"/> does not.</param>
    /// <param name="cancellationToken">Stops training between batches.</param>
    /// <returns>The reports of every epoch, the best epoch, and whether training stopped early.</returns>
    /// <exception cref="ArgumentNullException">An argument other than the optional ones is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    /// <exception cref="ArgumentException">A data set is empty, the validation set is not a <see cref="TensorDataset"/>
    /// or its rows are shaped differently, the optimizer updates none of the model's parameters, or the loss is not one number.</exception>
    /// <exception cref="OperationCanceledException">Training was cancelled.</exception>
    public static FitResult Fit(
        Module model,
        Optimizer optimizer,
        TensorDataset train,
        Func<Tensor, Tensor, Tensor> loss,
        FitOptions? options = null,
        IProgress<EpochReport>? progress = null,
        CancellationToken cancellationToken = default)
    {
        options = Check(model, optimizer, train, options);
        if (loss is null)
        {
            throw new ArgumentNullException(
                nameof(loss), "Fit: tensor targets need a loss of (predictions, targets), e.g. (p, t) => Losses.MeanSquaredError(p, t).");
        }

        Objective<Tensor>? validation = null;
        if (options.Validation is TensorDataset held)
        {
            SameRowShape("targets", train.Targets, held.Targets);
            validation = Objective.Targets(held, loss);
        }
        else if (options.Validation is { } other)
        {
            throw KindMismatch(other, train);
        }

        return FitLoop.Run(model, optimizer, Objective.Targets(train, loss), validation, options, progress, cancellationToken);
    }

    /// <summary>The mean loss and the accuracy of <paramref name="model"/> on <paramref name="data"/>, without recording.</summary>
    /// <param name="model">The model.</param>
    /// <param name="data">The examples to score.</param>
    /// <param name="loss">The loss of outputs and labels; cross-entropy from logits when null.</param>
    /// <param name="batchSize">Examples per forward pass (memory, not results).</param>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> or <paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="data"/> is empty, or the loss is not one number.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is not positive.</exception>
    public static (double Loss, double Accuracy) Evaluate(
        Module model, Dataset data, Func<Tensor, int[], Tensor>? loss = null, int batchSize = FitLoop.EvaluationBatchSize)
    {
        CheckEvaluation(model, data);
        var (mean, accuracy) = FitLoop.Evaluate(model, Objective.Labels(data, loss ?? CrossEntropy), batchSize);
        return (mean, accuracy!.Value);
    }

    /// <summary>The mean loss of <paramref name="model"/> on <paramref name="data"/>'s tensor targets, without recording.</summary>
    /// <param name="model">The model.</param>
    /// <param name="data">The examples to score.</param>
    /// <param name="loss">The loss of (predictions, targets), one number.</param>
    /// <param name="batchSize">Examples per forward pass (memory, not results).</param>
    /// <returns>The loss per batch, weighted by batch size: the loss of the whole set for a mean over rows.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="data"/> is empty, or the loss is not one number.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is not positive.</exception>
    public static double Evaluate(
        Module model, TensorDataset data, Func<Tensor, Tensor, Tensor> loss, int batchSize = FitLoop.EvaluationBatchSize)
    {
        CheckEvaluation(model, data);
        ArgumentNullException.ThrowIfNull(loss);
        return FitLoop.Evaluate(model, Objective.Targets(data, loss), batchSize).Loss;
    }

    private static Tensor CrossEntropy(Tensor logits, int[] labels) => Losses.CrossEntropy(logits, labels);

    /// <summary>Checks what both kinds of Fit share; returns the options to use.</summary>
    private static FitOptions Check(Module model, Optimizer optimizer, IDataset train, FitOptions? options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(train);
        options ??= new FitOptions();
        options.Validate();
        if (train.Count == 0)
        {
            throw new ArgumentException($"Fit: the training set is empty (inputs {train.Inputs.Shape}); there is nothing to train on.", nameof(train));
        }

        if (options.Validation is { } validation)
        {
            if (validation.Count == 0)
            {
                throw new ArgumentException($"Fit: the Validation set is empty (inputs {validation.Inputs.Shape}); there is nothing to score.", nameof(FitOptions.Validation));
            }

            SameRowShape("inputs", train.Inputs, validation.Inputs);
        }

        // An optimizer built over another model's parameters would step them and leave this one untrained.
        var owned = new HashSet<Parameter>(model.Parameters, ReferenceEqualityComparer.Instance);
        if (!optimizer.Parameters.Any(owned.Contains))
        {
            throw new ArgumentException(
                $"Fit: the optimizer updates {optimizer.Parameters.Count} parameters, none of them the model's; build it over model.Parameters.",
                nameof(optimizer));
        }

        return options;
    }

    private static void CheckEvaluation(Module model, IDataset data)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Count == 0)
        {
            throw new ArgumentException($"Evaluate: the data set is empty (inputs {data.Inputs.Shape}); there is nothing to score.", nameof(data));
        }
    }

    /// <summary>Validation rows must look like training rows: the model and the loss see both.</summary>
    private static void SameRowShape(string what, Tensor train, Tensor validation)
    {
        bool same = train.Rank > 0 && validation.Rank == train.Rank
            && train.Shape.Dimensions[1..].SequenceEqual(validation.Shape.Dimensions[1..]);
        if (!same)
        {
            throw new ArgumentException(
                $"Fit: the Validation {what} {validation.Shape} have rows shaped differently from the training {what} {train.Shape}.",
                nameof(FitOptions.Validation));
        }
    }

    private static ArgumentException KindMismatch(IDataset validation, IDataset train) => new(
        $"Fit: the Validation set is a {validation.GetType().Name} but the training set is a {train.GetType().Name}; give both the same kind of targets.",
        nameof(FitOptions.Validation));
}
