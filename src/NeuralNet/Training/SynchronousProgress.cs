namespace NeuralNet.Training;

/// <summary>
/// An <see cref="IProgress{T}"/> that runs its handler at once, on the reporting thread. <c>Trainer.Fit</c> reports
/// through it in order and before returning; <see cref="Progress{T}"/> instead posts each report to the captured
/// synchronization context (the thread pool in a console app), so reports can arrive late and out of order.
/// </summary>
/// <typeparam name="T">The report.</typeparam>
public sealed class SynchronousProgress<T> : IProgress<T>
{
    private readonly Action<T> _handler;

    /// <summary>Creates a reporter that calls <paramref name="handler"/> for each report.</summary>
    /// <param name="handler">Called with each report, e.g. <c>Console.WriteLine</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="handler"/> is null.</exception>
    public SynchronousProgress(Action<T> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _handler = handler;
    }

    /// <summary>Calls the handler with <paramref name="value"/> before returning.</summary>
    public void Report(T value) => _handler(value);
}
