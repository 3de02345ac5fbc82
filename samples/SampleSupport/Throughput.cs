using System.Diagnostics;
using NeuralNet.Training;

namespace NeuralNet.Samples.Support;

/// <summary>The running loss and samples per second of the epoch in progress, from <see cref="FitOptions.OnBatchEnd"/>.</summary>
public sealed class Throughput
{
    // Restarted when an epoch ends: the next one begins right after, so its clock covers all of its batches.
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private double lossSum;
    private int samples;

    /// <summary>The mean loss of the epoch's batches so far, weighted by batch size (the epoch's train loss at its end).</summary>
    public double RunningLoss => samples == 0 ? double.NaN : lossSum / samples;

    /// <summary>Training examples per second in the epoch so far.</summary>
    public double SamplesPerSecond => samples / Math.Max(clock.Elapsed.TotalSeconds, 1e-9);

    /// <summary>Counts one batch; meant for <see cref="FitOptions.OnBatchEnd"/>.</summary>
    /// <param name="batch">The finished batch.</param>
    public void Batch(BatchContext batch)
    {
        lossSum += batch.Loss * batch.Size;
        samples = batch.SamplesSeen;
    }

    /// <summary>The finished epoch's throughput over its training time; starts counting the next epoch.</summary>
    /// <param name="elapsed">The epoch's training time (<see cref="EpochReport.Elapsed"/>), which leaves out validation.</param>
    public double EndEpoch(TimeSpan elapsed)
    {
        double rate = samples / Math.Max(elapsed.TotalSeconds, 1e-9);
        lossSum = 0;
        samples = 0;
        clock.Restart();
        return rate;
    }
}
