using System.Globalization;

namespace NeuralNet.Training;

/// <summary>What one epoch of <see cref="Trainer.Fit"/> achieved.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="TrainLoss">The mean training loss over the epoch's batches, weighted by batch size.</param>
/// <param name="TrainAccuracy">The fraction of training examples classified correctly during the epoch.</param>
/// <param name="ValidationLoss">The loss on the validation set after the epoch, if there is one.</param>
/// <param name="ValidationAccuracy">The accuracy on the validation set after the epoch, if there is one.</param>
/// <param name="Elapsed">The epoch's training time (without validation).</param>
public sealed record EpochReport(
    int Epoch, double TrainLoss, double TrainAccuracy, double? ValidationLoss, double? ValidationAccuracy, TimeSpan Elapsed)
{
    /// <summary>One line: epoch, losses, accuracies and time.</summary>
    public override string ToString()
    {
        string validation = ValidationLoss is { } loss
            ? string.Create(CultureInfo.InvariantCulture, $"  validation loss {loss:F4}  accuracy {ValidationAccuracy:P2}")
            : string.Empty;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"epoch {Epoch,3}  loss {TrainLoss:F4}  accuracy {TrainAccuracy:P2}{validation}  ({Elapsed.TotalSeconds:F2} s)");
    }
}

/// <summary>The outcome of <see cref="Trainer.Fit"/>.</summary>
/// <param name="History">One report per epoch trained.</param>
/// <param name="BestEpoch">The epoch with the lowest validation loss (or training loss without validation).</param>
/// <param name="StoppedEarly">Whether early stopping ended training before the last epoch.</param>
public sealed record FitResult(IReadOnlyList<EpochReport> History, int BestEpoch, bool StoppedEarly);
