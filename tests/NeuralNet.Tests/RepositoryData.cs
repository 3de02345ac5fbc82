namespace NeuralNet.Tests;

/// <summary>Finds the repository and the data sets committed under samples/data, from wherever the tests run.</summary>
internal static class RepositoryData
{
    /// <summary>The repository's root: the nearest directory above the test binaries that holds NeuralNet.sln.</summary>
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NeuralNet.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"NeuralNet.sln not found above {AppContext.BaseDirectory}.");
    }

    public static string Directory(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "samples", "data", name);
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"samples/data/{name} not found above {AppContext.BaseDirectory}.");
    }
}
