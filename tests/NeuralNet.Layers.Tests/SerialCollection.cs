namespace NeuralNet.Layers.Tests;

/// <summary>
/// Tests that measure process-wide state (the buffer pool a step rents from, the GC's total memory) run alone, after
/// the parallel ones: another test class renting buffers of the same length, or allocating, at the same time would
/// change what the measured step gets from the pool or add to the measured memory.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Serial";
}
