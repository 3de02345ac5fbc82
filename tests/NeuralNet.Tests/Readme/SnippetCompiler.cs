namespace NeuralNet.Tests.Readme;

using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

/// <summary>
/// Compiles a README block in memory as a new console project that references the package would: top-level
/// statements, nullable on, the implicit usings and the package's global usings.
/// </summary>
internal static class SnippetCompiler
{
    /// <summary>The language and warning level a new net10.0 console project uses.</summary>
    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest);

    // `dotnet new console` turns on ImplicitUsings, so a pasted block sees exactly these namespaces without a `using`.
    private static readonly SyntaxTree ImplicitUsings = CSharpSyntaxTree.ParseText(
        """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """,
        ParseOptions);

    // What referencing the package adds: the global usings of its buildTransitive props (the Tensor alias).
    private static readonly SyntaxTree PackageUsings = CSharpSyntaxTree.ParseText(
        string.Concat(System.Xml.Linq.XDocument
            .Load(Path.Combine(RepositoryData.Root(), "src", "NeuralNet.Core", "buildTransitive", "NeuralNet.Core.props"))
            .Descendants("Using")
            .Select(u => $"global using {u.Attribute("Alias")!.Value} = {u.Attribute("Include")!.Value};\n")),
        ParseOptions);

    private static readonly CSharpCompilationOptions Options = new(
        OutputKind.ConsoleApplication,
        nullableContextOptions: NullableContextOptions.Enable,
        optimizationLevel: OptimizationLevel.Release,
        warningLevel: 9999);

    // Loading references is most of the first compilation's cost: every block shares one set.
    private static readonly Lazy<MetadataReference[]> References = new(LoadReferences);

    /// <summary>Compiles the program; the image is null when a diagnostic is a warning or an error.</summary>
    public static (byte[]? Image, IReadOnlyList<Diagnostic> Diagnostics) Compile(SyntaxTree program, string assemblyName)
    {
        var compilation = CSharpCompilation.Create(assemblyName, [program, ImplicitUsings, PackageUsings], References.Value, Options);
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        Diagnostic[] reported = [.. result.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning)];
        return (result.Success && reported.Length == 0 ? image.ToArray() : null, reported);
    }

    /// <summary>The framework's assemblies and the library assemblies, ONNX Runtime's, with what they reference.</summary>
    private static MetadataReference[] LoadReferences()
    {
        string runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => Path.GetDirectoryName(path) == runtime)
            .ToHashSet(StringComparer.Ordinal);

        Assembly[] library =
        [
            typeof(Tensor).Assembly,
            typeof(Layers.Module).Assembly,
            typeof(Optimizers.Adam).Assembly,
            typeof(Checkpoint).Assembly,
            typeof(Onnx.OnnxExport).Assembly,
            typeof(Microsoft.ML.OnnxRuntime.InferenceSession).Assembly,
        ];
        foreach (Assembly assembly in library)
        {
            paths.Add(assembly.Location);
            foreach (AssemblyName dependency in assembly.GetReferencedAssemblies())
            {
                paths.Add(Assembly.Load(dependency).Location);
            }
        }

        return [.. paths.Order(StringComparer.Ordinal).Select(path => MetadataReference.CreateFromFile(path))];
    }
}
