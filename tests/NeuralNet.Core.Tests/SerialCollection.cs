namespace NeuralNet.Tests;

/// <summary>
/// Tests that read or set process-wide state (the default dtype, the GC's total memory) run alone, after the
/// parallel ones, so that other tests neither see their setting nor allocate into their measurement.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Serial";
}
