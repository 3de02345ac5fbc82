namespace NeuralNet.Tests.Readme;

/// <summary>
/// Runs the README blocks alone: they swap the process-wide console and working directory while they run.
/// </summary>
[CollectionDefinition(nameof(ReadmeSnippetTests), DisableParallelization = true)]
public class ReadmeSnippetCollection;
