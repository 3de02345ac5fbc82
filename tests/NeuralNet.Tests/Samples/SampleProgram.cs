using System.Diagnostics;

namespace NeuralNet.Tests.Samples;

/// <summary>Runs a sample's own build output as a separate process, its output redirected as in a CI log.</summary>
internal static class SampleProgram
{
    /// <summary>
    /// Runs <c>samples/{project}/bin/{configuration}/{framework}/{assembly}</c> (the configuration and framework these
    /// tests were built in, from which the sample finds its data) with <paramref name="arguments"/>, and returns its exit
    /// code, standard output and standard error.
    /// </summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(
        string project, string assembly, TimeSpan timeout, params string[] arguments)
    {
        var binaries = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string sample = Path.Combine(RepositoryData.Root(), "samples", project, "bin", binaries.Parent!.Name, binaries.Name, assembly);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[] { sample }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        using var cancel = new CancellationTokenSource(timeout);
        Task<string> error = process.StandardError.ReadToEndAsync(cancel.Token);
        string output = await process.StandardOutput.ReadToEndAsync(cancel.Token);
        await process.WaitForExitAsync(cancel.Token);
        return (process.ExitCode, output, await error);
    }
}
