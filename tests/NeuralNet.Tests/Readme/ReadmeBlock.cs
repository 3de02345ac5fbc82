namespace NeuralNet.Tests.Readme;

/// <summary>One <c>```csharp</c> block of a README file.</summary>
/// <param name="File">The README's file name, relative to the repository root.</param>
/// <param name="Line">The 1-based line of the block's opening fence.</param>
/// <param name="Code">The block's text, without the fences.</param>
/// <param name="CompileOnly">
/// True when the fence reads <c>```csharp compile-only</c>: the block is compiled but not run (the README says why).
/// </param>
internal sealed record ReadmeBlock(string File, int Line, string Code, bool CompileOnly)
{
    /// <summary>The block's name in test results and failure messages, e.g. <c>README.md:37</c>.</summary>
    public string Id => $"{File}:{Line}";

    /// <summary>Reads every <c>```csharp</c> block of the given markdown text, in order.</summary>
    public static IEnumerable<ReadmeBlock> Parse(string file, string markdown)
    {
        string[] lines = markdown.ReplaceLineEndings("\n").Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string[] info = lines[i].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (info.Length == 0 || info[0] != "```csharp")
            {
                continue;
            }

            int start = i + 1;
            int end = start;
            while (end < lines.Length && lines[end].Trim() != "```")
            {
                end++;
            }

            if (end == lines.Length)
            {
                throw new FormatException($"{file}:{i + 1}: the ```csharp block is never closed.");
            }

            yield return new ReadmeBlock(file, i + 1, string.Join('\n', lines[start..end]), info.Contains("compile-only"));
            i = end;
        }
    }
}
