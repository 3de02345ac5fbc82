namespace NeuralNet.Tests;

/// <summary>Finds the data sets committed under samples/data, from wherever the tests run.</summary>
internal static class RepositoryData
{
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
