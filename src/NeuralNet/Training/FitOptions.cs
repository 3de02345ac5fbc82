namespace NeuralNet.Training;

/// <summary>How <c>Trainer.Fit</c> trains: epochs, batches, validation, early stopping and callbacks.</summary>
/// <remarks>
/// The callbacks run synchronously on the thread that called <c>Fit</c>, in this order for every batch:
/// <see cref="OnBeforeStep"/>, gradient clipping (<see cref="ClipGradientNorm"/>), the optimizer's step, <see cref="OnBatchEnd"/>; then after every epoch (and its
/// validation) the progress reporter and <see cref="OnEpochEnd"/>. An exception from a callback ends training and
/// reaches the caller of <c>Fit</c>.
/// </remarks>
public sealed record FitOptions
{
    /// <summary>Passes over the training set (at most, with early stopping). Default 10.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>
    /// The epochs already done, to resume a run (Keras's <c>initial_epoch</c>): training runs epochs
    /// <see cref="InitialEpoch"/> + 1 to <see cref="Epochs"/>, with the shuffles and step numbers those epochs had.
    /// Default 0; equal to <see cref="Epochs"/>, nothing is left to train and the history is empty. Load the run's
    /// <c>TrainingCheckpoint</c> first.
    /// </summary>
    public int InitialEpoch { get; init; }

    /// <summary>Examples per mini-batch: 1 is stochastic gradient descent, the set's size full-batch descent. Default 32.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Visit the training set in a new seeded order each epoch. Default true.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Seeds the shuffles (epoch e uses seed + e), for reproducible runs. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// A held-out set, evaluated after each epoch; needed for early stopping. The same kind as the training set: a
    /// <see cref="Data.Dataset"/> of class labels beside one, a <see cref="Data.TensorDataset"/> beside tensor targets.
    /// </summary>
    public Data.IDataset? Validation { get; init; }

    /// <summary>
    /// Stop when the validation loss has not improved by more than <see cref="MinDelta"/> for this many epochs
    /// (Keras's <c>EarlyStopping(patience)</c>); null trains every epoch.
    /// </summary>
    public int? Patience { get; init; }

    /// <summary>The smallest decrease of the validation loss that counts as an improvement. Default 0.</summary>
    public double MinDelta { get; init; }

    /// <summary>With early stopping, put back the parameters of the best validation epoch at the end. Default true.</summary>
    public bool RestoreBestWeights { get; init; } = true;

    /// <summary>
    /// Called for every batch once its gradients are in <see cref="Parameter.Grad"/> and before the optimizer steps:
    /// where gradient clipping or inspection goes.
    /// </summary>
    public Action<BatchContext>? OnBeforeStep { get; init; }

    /// <summary>
    /// Clip the gradients' total 2-norm to this value before each step, after <see cref="OnBeforeStep"/>
    /// (<c>GradientClipping.ClipNorm</c>; PyTorch's <c>clip_grad_norm_</c>, Keras's <c>global_clipnorm</c>); null does not
    /// clip. The norm before clipping is in <see cref="BatchContext.GradientNorm"/>.
    /// </summary>
    public double? ClipGradientNorm { get; init; }

    /// <summary>Called for every batch after the optimizer's step: where per-step schedules and logging go.</summary>
    public Action<BatchContext>? OnBatchEnd { get; init; }

    /// <summary>Called after every epoch with its report (validation included): where per-epoch schedules and logging go.</summary>
    public Action<EpochContext>? OnEpochEnd { get; init; }

    /// <summary>
    /// Capture the training step on the first full batch and replay it for every full batch after (a
    /// <see cref="CapturedStep"/>, Keras's <c>jit_compile</c> in spirit): the same results, bit for bit, and a step that
    /// allocates nothing (Fit's own per-batch bookkeeping remains, about a tenth of an eager step's); a last, shorter
    /// batch runs eagerly. The model and the loss must be capturable (no dropout in training mode, no random draws, a
    /// loss that reads labels in its kernel, such as cross-entropy), which the first batch finds out, having run the step
    /// up to the refusal. The loss and the model are replayed as captured: a value of your own that a callback changes
    /// (a loss weight) or targets built on the host are frozen at the capture, while learning rates, schedules and
    /// optimizer state move on; a callback that freezes a layer (<c>RequiresGrad</c>) or switches a module's mode makes
    /// the next full batch capture again. Not with <see cref="OnBeforeStep"/>, which would run only at the capture;
    /// <see cref="BatchContext.GradientNorm"/> is still reported. Default false.
    /// </summary>
    public bool CaptureSteps { get; init; }

    /// <summary>Checks every setting, naming the one that is wrong.</summary>
    internal void Validate()
    {
        if (Epochs < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Epochs), $"Fit: Epochs {Epochs} must be at least 1.");
        }

        if (BatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), $"Fit: BatchSize {BatchSize} must be at least 1.");
        }

        if (InitialEpoch < 0 || InitialEpoch > Epochs)
        {
            throw new ArgumentOutOfRangeException(nameof(InitialEpoch), $"Fit: InitialEpoch {InitialEpoch} must be in [0, Epochs {Epochs}]: the epochs done before this call.");
        }

        if (ClipGradientNorm is { } clip && !(clip >= 0 && double.IsFinite(clip)))
        {
            throw new ArgumentOutOfRangeException(nameof(ClipGradientNorm), $"Fit: ClipGradientNorm {clip} must be non-negative and finite.");
        }

        if (Patience is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Patience), $"Fit: Patience {Patience} must be at least 1.");
        }

        if (!(MinDelta >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(MinDelta), $"Fit: MinDelta {MinDelta} must be non-negative.");
        }

        if (CaptureSteps && OnBeforeStep is not null)
        {
            throw new ArgumentException(
                "Fit: CaptureSteps replays each step without running its code again, so an OnBeforeStep callback would run only once; use OnBatchEnd, or train eagerly.",
                nameof(OnBeforeStep));
        }

        if (Patience is not null && Validation is null)
        {
            throw new ArgumentException("Fit: early stopping (Patience) needs a Validation set.", nameof(Patience));
        }
    }
}
