namespace NeuralNet.Training;

/// <summary>How <see cref="Trainer.Fit"/> trains: epochs, batches, validation and early stopping.</summary>
public sealed record FitOptions
{
    /// <summary>Passes over the training set (at most, with early stopping). Default 10.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Examples per mini-batch: 1 is stochastic gradient descent, the set's size full-batch descent. Default 32.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Visit the training set in a new seeded order each epoch. Default true.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Seeds the shuffles (epoch e uses seed + e), for reproducible runs. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>A held-out set, evaluated after each epoch; needed for early stopping.</summary>
    public Data.Dataset? Validation { get; init; }

    /// <summary>
    /// Stop when the validation loss has not improved by more than <see cref="MinDelta"/> for this many epochs
    /// (Keras's <c>EarlyStopping(patience)</c>); null trains every epoch.
    /// </summary>
    public int? Patience { get; init; }

    /// <summary>The smallest decrease of the validation loss that counts as an improvement. Default 0.</summary>
    public double MinDelta { get; init; }

    /// <summary>With early stopping, put back the parameters of the best validation epoch at the end. Default true.</summary>
    public bool RestoreBestWeights { get; init; } = true;

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

        if (Patience is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Patience), $"Fit: Patience {Patience} must be at least 1.");
        }

        if (!(MinDelta >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(MinDelta), $"Fit: MinDelta {MinDelta} must be non-negative.");
        }

        if (Patience is not null && Validation is null)
        {
            throw new ArgumentException("Fit: early stopping (Patience) needs a Validation set.", nameof(Patience));
        }
    }
}
