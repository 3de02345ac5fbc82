using NeuralNet.Training;

namespace MnistSample;

/// <summary>The per-epoch numbers of a run, recorded from <see cref="FitOptions.OnEpochEnd"/>: what the curves plot.</summary>
public sealed class TrainingCurves
{
    private readonly List<EpochReport> reports = [];

    /// <summary>The reports recorded so far, one per finished epoch.</summary>
    public IReadOnlyList<EpochReport> Reports => reports;

    /// <summary>The epochs, from 1.</summary>
    public double[] Epochs => [.. reports.Select(r => (double)r.Epoch)];

    /// <summary>The mean training loss of each epoch.</summary>
    public double[] TrainLoss => [.. reports.Select(r => r.TrainLoss)];

    /// <summary>The training accuracy of each epoch, measured while it trained.</summary>
    public double[] TrainAccuracy => [.. reports.Select(r => r.TrainAccuracy ?? double.NaN)];

    /// <summary>The validation loss after each epoch.</summary>
    public double[] ValidationLoss => [.. reports.Select(r => r.ValidationLoss ?? double.NaN)];

    /// <summary>The validation accuracy after each epoch.</summary>
    public double[] ValidationAccuracy => [.. reports.Select(r => r.ValidationAccuracy ?? double.NaN)];

    /// <summary>Records one epoch; meant for <see cref="FitOptions.OnEpochEnd"/>.</summary>
    /// <param name="epoch">The finished epoch.</param>
    public void Record(EpochContext epoch) => reports.Add(epoch.Report);
}
