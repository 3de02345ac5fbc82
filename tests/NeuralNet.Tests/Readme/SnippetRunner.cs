namespace NeuralNet.Tests.Readme;

using System.Globalization;
using System.Reflection;

/// <summary>Runs a compiled README block in this process and captures what it prints.</summary>
internal static class SnippetRunner
{
    /// <summary>
    /// Runs the program's entry point with the repository root as working directory (so relative paths such as
    /// samples/data/mnist resolve) and the invariant culture (the README shows invariant numbers), then restores both
    /// and the console.
    /// </summary>
    /// <returns>The printed text, and the exception the program threw, if any.</returns>
    public static (string Output, Exception? Error) Run(byte[] image)
    {
        MethodInfo entryPoint = Assembly.Load(image).EntryPoint
            ?? throw new InvalidOperationException("The compiled block has no entry point.");
        object?[]? arguments = entryPoint.GetParameters().Length == 0 ? null : [Array.Empty<string>()];

        TextWriter console = Console.Out;
        string directory = Environment.CurrentDirectory;
        CultureInfo culture = CultureInfo.CurrentCulture;
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        try
        {
            Console.SetOut(output);
            Environment.CurrentDirectory = RepositoryData.Root();
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            entryPoint.Invoke(null, arguments);
            return (output.ToString(), null);
        }
        catch (TargetInvocationException e)
        {
            return (output.ToString(), e.InnerException ?? e);
        }
        finally
        {
            Console.SetOut(console);
            Environment.CurrentDirectory = directory;
            CultureInfo.CurrentCulture = culture;
        }
    }
}
