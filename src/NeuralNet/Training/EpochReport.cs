using System.Globalization;

namespace NeuralNet.Training;

/// <summary>What one epoch of <c>Trainer.Fit</c> achieved.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="TrainLoss">The mean training loss over the epoch's batches, weighted by batch size.</param>
/// <param name="TrainAccuracy">The fraction of training examples classified correctly during the epoch; null for
/// tensor targets, where accuracy means nothing.</param>
/// <param name="ValidationLoss">The loss on the validation set after the epoch, if there is one.</param>
/// <param name="ValidationAccuracy">The accuracy on the validation set after the epoch, if there is one and it has class labels.</param>
/// <param name="Elapsed">The epoch's training time (without validation).</param>
public sealed record EpochReport(
    int Epoch, double TrainLoss, double? TrainAccuracy, double? ValidationLoss, double? ValidationAccuracy, TimeSpan Elapsed)
{
    /// <summary>One line: epoch, losses, accuracies (where there are any) and time.</summary>
    public override string ToString()
    {
        string validation = ValidationLoss is { } loss
            ? string.Create(CultureInfo.InvariantCulture, $"  validation loss {loss:F4}{Accuracy(ValidationAccuracy)}")
            : string.Empty;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"epoch {Epoch,3}  loss {TrainLoss:F4}{Accuracy(TrainAccuracy)}{validation}  ({Elapsed.TotalSeconds:F2} s)");
    }

    private static string Accuracy(double? accuracy) =>
        accuracy is { } value ? string.Create(CultureInfo.InvariantCulture, $"  accuracy {value:P2}") : string.Empty;
}

/// <summary>The outcome of <c>Trainer.Fit</c>.</summary>
/// <param name="History">One report per epoch trained (the last one partial if a callback stopped training mid-epoch).</param>
/// <param name="BestEpoch">The epoch with the lowest validation loss (or training loss without validation).</param>
/// <param name="StoppedEarly">Whether early stopping or a callback's <see cref="FitContext.RequestStop"/> ended
/// training before the end of the last epoch.</param>
public sealed record FitResult(IReadOnlyList<EpochReport> History, int BestEpoch, bool StoppedEarly);
