using NeuralNet.Layers;
using NeuralNet.Optimizers;

namespace NeuralNet.Training;

/// <summary>One finished epoch, as <see cref="FitOptions.OnEpochEnd"/> sees it.</summary>
public sealed class EpochContext : FitContext
{
    internal EpochContext(Module model, Optimizer optimizer, EpochReport report)
        : base(model, optimizer, report.Epoch) => Report = report;

    /// <summary>The epoch's report, validation included; the same record <see cref="FitResult.History"/> holds.</summary>
    public EpochReport Report { get; }
}
