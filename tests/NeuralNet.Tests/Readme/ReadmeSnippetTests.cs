namespace NeuralNet.Tests.Readme;

using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

/// <summary>
/// Every <c>```csharp</c> block of the README files is a complete program: it compiles on its own (its usings
/// included, against the library and the framework), runs without throwing, and prints what its <c>// prints</c>
/// comments say (<see cref="ExpectedOutput"/>). A block fenced <c>```csharp compile-only</c> is only compiled.
/// </summary>
[Collection(nameof(ReadmeSnippetTests))]
public class ReadmeSnippetTests
{
    /// <summary>The id of every block, e.g. <c>README.md:37</c>, one test case each.</summary>
    public static TheoryData<string> Blocks => new(ReadmeFiles.Blocks.Select(block => block.Id));

    /// <summary>The README files have C# blocks to test: a broken parser must not pass by finding none.</summary>
    [Fact]
    public void TheReadmesHaveCSharpBlocks() => ReadmeFiles.Blocks.Should().Contain(block => block.File == "README.md");

    /// <summary>The block compiles with no warning or error, runs without throwing, and prints what it says.</summary>
    [Theory]
    [MemberData(nameof(Blocks))]
    public void BlockCompilesRunsAndPrintsWhatItSays(string block)
    {
        ReadmeBlock readme = ReadmeFiles.Find(block);
        SyntaxTree program = CSharpSyntaxTree.ParseText(readme.Code, SnippetCompiler.ParseOptions, path: readme.Id);

        var (image, diagnostics) = SnippetCompiler.Compile(program, "Readme_" + readme.Line);
        image.Should().NotBeNull(
            "{0} must compile on its own, as pasted into a new console project:\n{1}",
            readme.Id,
            string.Join('\n', diagnostics.Select(d => Describe(readme, d))));
        if (readme.CompileOnly)
        {
            return;
        }

        var (output, error) = SnippetRunner.Run(image!);
        error.Should().BeNull("{0} must run without throwing; it printed:\n{1}\nand threw {2}", readme.Id, output, error);
        ExpectedOutput.Lines(output).Should().Equal(
            ExpectedOutput.Of(program),
            "{0} must print exactly what its // prints comments say",
            readme.Id);
    }

    /// <summary>A diagnostic with the README line it points at, e.g. <c>README.md:52: error CS0103: ...</c>.</summary>
    private static string Describe(ReadmeBlock readme, Diagnostic diagnostic)
    {
        // The block's first code line is the line after its opening fence.
        int line = readme.Line + 1 + diagnostic.Location.GetLineSpan().StartLinePosition.Line;
        string severity = diagnostic.Severity.ToString().ToLowerInvariant();
        return $"{readme.File}:{line}: {severity} {diagnostic.Id}: {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }
}
