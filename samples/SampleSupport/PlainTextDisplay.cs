using System.Globalization;
using NeuralNet.Training;

namespace NeuralNet.Samples.Support;

/// <summary>One plain line per epoch, no escape codes: for output redirected to a file or a CI log.</summary>
/// <param name="output">Where the lines go.</param>
public sealed class PlainTextDisplay(TextWriter output) : ITrainingDisplay
{
    /// <inheritdoc/>
    public FitResult Run(FitOptions options, Func<FitOptions, FitResult> fit, int? runEpochs = null)
    {
        int epochs = runEpochs ?? options.Epochs;
        var throughput = new Throughput();
        return fit(options with
        {
            OnBatchEnd = options.OnBatchEnd + throughput.Batch,
            OnEpochEnd = options.OnEpochEnd + (epoch => output.WriteLine(Line(epoch.Report, epochs, throughput.EndEpoch(epoch.Report.Elapsed)))),
        });
    }

    /// <summary>An epoch's line: losses, accuracies, throughput and time.</summary>
    /// <param name="report">The epoch's report.</param>
    /// <param name="epochs">The epochs of the run.</param>
    /// <param name="samplesPerSecond">The epoch's training throughput.</param>
    public static string Line(EpochReport report, int epochs, double samplesPerSecond) => string.Create(
        CultureInfo.InvariantCulture,
        $"epoch {report.Epoch}/{epochs}  train loss {report.TrainLoss:F4} acc {report.TrainAccuracy:P2}  val loss {report.ValidationLoss:F4} acc {report.ValidationAccuracy:P2}  {samplesPerSecond:N0} samples/s  {report.Elapsed.TotalSeconds:F2} s");
}
