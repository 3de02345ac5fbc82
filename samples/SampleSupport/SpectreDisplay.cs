using System.Globalization;
using NeuralNet.Training;
using Spectre.Console;

namespace NeuralNet.Samples.Support;

/// <summary>A progress bar per epoch with the running loss and throughput, then a table of the epochs: for a terminal.</summary>
/// <param name="console">The terminal.</param>
public sealed class SpectreDisplay(IAnsiConsole console) : ITrainingDisplay
{
    /// <inheritdoc/>
    public FitResult Run(FitOptions options, Func<FitOptions, FitResult> fit, int? runEpochs = null)
    {
        int epochs = runEpochs ?? options.Epochs;
        var table = new Table()
            .AddColumn("epoch")
            .AddColumn(new TableColumn("train loss").RightAligned())
            .AddColumn(new TableColumn("train acc").RightAligned())
            .AddColumn(new TableColumn("val loss").RightAligned())
            .AddColumn(new TableColumn("val acc").RightAligned())
            .AddColumn(new TableColumn("time").RightAligned());
        var throughput = new Throughput();
        FitResult result = console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(progress =>
            {
                ProgressTask? task = null;
                return fit(options with
                {
                    OnBatchEnd = options.OnBatchEnd + (batch =>
                    {
                        throughput.Batch(batch);
                        task ??= progress.AddTask(Describe(batch.Epoch, epochs, throughput), maxValue: batch.Batches);
                        task.Value = batch.Batch;
                        task.Description = Describe(batch.Epoch, epochs, throughput);
                    }),
                    OnEpochEnd = options.OnEpochEnd + (epoch =>
                    {
                        throughput.EndEpoch(epoch.Report.Elapsed);
                        task?.StopTask();
                        task = null;
                        table.AddRow(Row(epoch.Report));
                    }),
                });
            });
        console.Write(table);
        return result;
    }

    private static string Describe(int epoch, int epochs, Throughput throughput) => string.Create(
        CultureInfo.InvariantCulture,
        $"epoch {epoch}/{epochs}  loss {throughput.RunningLoss:F4}  {throughput.SamplesPerSecond,7:N0} samples/s");

    private static string[] Row(EpochReport report) =>
    [
        report.Epoch.ToString(CultureInfo.InvariantCulture),
        report.TrainLoss.ToString("F4", CultureInfo.InvariantCulture),
        string.Create(CultureInfo.InvariantCulture, $"{report.TrainAccuracy:P2}"),
        string.Create(CultureInfo.InvariantCulture, $"{report.ValidationLoss:F4}"),
        string.Create(CultureInfo.InvariantCulture, $"{report.ValidationAccuracy:P2}"),
        string.Create(CultureInfo.InvariantCulture, $"{report.Elapsed.TotalSeconds:F2} s"),
    ];
}
