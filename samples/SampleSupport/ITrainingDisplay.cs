using NeuralNet.Training;

namespace NeuralNet.Samples.Support;

/// <summary>Shows training as it runs, from the training loop's callbacks.</summary>
public interface ITrainingDisplay
{
    /// <summary>Runs <paramref name="fit"/> with <paramref name="options"/> extended by the display's callbacks.</summary>
    /// <param name="options">The run's options; their own callbacks still run, before the display's.</param>
    /// <param name="fit">Trains with the options it is given.</param>
    /// <param name="runEpochs">The epochs of the whole run, shown as "epoch e/runEpochs"; null means
    /// <see cref="FitOptions.Epochs"/>, which for a run split into several Fit calls is only where this one ends.</param>
    FitResult Run(FitOptions options, Func<FitOptions, FitResult> fit, int? runEpochs = null);
}
