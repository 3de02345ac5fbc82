namespace NeuralNet.Tests.Readme;

/// <summary>The README files at the repository root and the C# blocks in them.</summary>
internal static class ReadmeFiles
{
    /// <summary>Every <c>```csharp</c> block of every <c>README*.md</c> at the repository root, in file order.</summary>
    public static IReadOnlyList<ReadmeBlock> Blocks { get; } =
        [.. System.IO.Directory.GetFiles(RepositoryData.Root(), "README*.md")
            .Order(StringComparer.Ordinal)
            .SelectMany(path => ReadmeBlock.Parse(Path.GetFileName(path), File.ReadAllText(path)))];

    /// <summary>The block with the given id (<see cref="ReadmeBlock.Id"/>).</summary>
    public static ReadmeBlock Find(string id) => Blocks.Single(block => block.Id == id);
}
