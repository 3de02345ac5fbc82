using NeuralNet.Layers;
using NeuralNet.Optimizers;

namespace NeuralNet.Training;

/// <summary>What every <see cref="FitOptions"/> callback sees: the model, its optimizer, and a way to stop training.</summary>
public abstract class FitContext
{
    /// <summary>Creates a context for one callback.</summary>
    private protected FitContext(Module model, Optimizer optimizer, int epoch)
    {
        Model = model;
        Optimizer = optimizer;
        Epoch = epoch;
    }

    /// <summary>The model being trained.</summary>
    public Module Model { get; }

    /// <summary>The optimizer; its <see cref="Optimizer.LearningRate"/> is settable, for schedules.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The epoch, from 1.</summary>
    public int Epoch { get; }

    /// <summary>Whether a callback has asked training to stop.</summary>
    public bool StopRequested { get; private set; }

    /// <summary>
    /// Ends training after the current batch (Keras's <c>model.stop_training = True</c>): that batch's step still runs,
    /// then the epoch is reported over the batches trained, validated, and <see cref="FitOptions.OnEpochEnd"/> is called.
    /// </summary>
    public void RequestStop() => StopRequested = true;
}
