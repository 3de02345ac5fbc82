using NeuralNet.Training;

namespace MnistSample;

/// <summary>Shows training as it runs, from the training loop's callbacks.</summary>
public interface ITrainingDisplay
{
    /// <summary>Runs <paramref name="fit"/> with <paramref name="options"/> extended by the display's callbacks.</summary>
    /// <param name="options">The run's options; their own callbacks still run, before the display's.</param>
    /// <param name="fit">Trains with the options it is given.</param>
    FitResult Run(FitOptions options, Func<FitOptions, FitResult> fit);
}
