using Spectre.Console;

namespace NeuralNet.Samples.Support;

/// <summary>Picks the display that suits the process's standard output.</summary>
public static class TrainingDisplay
{
    /// <summary>Progress bars and a table in a terminal; one plain line per epoch when standard output is redirected.</summary>
    /// <remarks>Progress bars redraw with escape codes, which a CI log or a file would keep as noise.</remarks>
    public static ITrainingDisplay ForConsole() =>
        Console.IsOutputRedirected ? new PlainTextDisplay(Console.Out) : new SpectreDisplay(AnsiConsole.Console);
}
