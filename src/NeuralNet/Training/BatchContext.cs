using NeuralNet.Layers;
using NeuralNet.Optimizers;

namespace NeuralNet.Training;

/// <summary>
/// One training batch, as <see cref="FitOptions.OnBeforeStep"/> and <see cref="FitOptions.OnBatchEnd"/> see it (both
/// get the same instance for a batch).
/// </summary>
public sealed class BatchContext : FitContext
{
    internal BatchContext(Module model, Optimizer optimizer, int epoch, int batch, int batches, long step, int size, int samplesSeen, double loss)
        : base(model, optimizer, epoch)
    {
        Batch = batch;
        Batches = batches;
        Step = step;
        Size = size;
        SamplesSeen = samplesSeen;
        Loss = loss;
    }

    /// <summary>The batch within the epoch, from 1 to <see cref="Batches"/>.</summary>
    public int Batch { get; }

    /// <summary>The number of batches in an epoch (the last may be smaller than the batch size).</summary>
    public int Batches { get; }

    /// <summary>The optimizer steps of the run so far, this batch's included: from 1, across epochs (a run resumed with
    /// <see cref="FitOptions.InitialEpoch"/> counts the epochs done as their steps).</summary>
    public long Step { get; }

    /// <summary>The examples in this batch.</summary>
    public int Size { get; }

    /// <summary>The examples trained on in this epoch so far, this batch's included.</summary>
    public int SamplesSeen { get; }

    /// <summary>The batch's loss, before the step.</summary>
    public double Loss { get; }

    /// <summary>With <see cref="FitOptions.ClipGradientNorm"/>, the gradients' total 2-norm before clipping, set once
    /// they are clipped (so in <see cref="FitOptions.OnBatchEnd"/>); otherwise null.</summary>
    public double? GradientNorm { get; internal set; }
}
