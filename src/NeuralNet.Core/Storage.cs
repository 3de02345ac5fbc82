namespace NeuralNet;

/// <summary>
/// The memory behind a <see cref="Parameter"/> and every view that aliases it (<see cref="Tensor.Detach"/>,
/// reshapes), with a version counter that every in-place write bumps. Values nothing writes in place (every op's
/// result) are bare arrays, at version 0 for ever.
/// </summary>
/// <remarks>The counter belongs to the storage, not to a tensor, because a write through one view changes every
/// other (PyTorch keeps it on the storage for the same reason). A tape records the version of each value a
/// derivative rule reads and refuses to run the rule once the version has moved.</remarks>
internal sealed class Storage(Array data)
{
    private int _version;

    /// <summary>The values: a <see cref="float"/>[] or a <see cref="double"/>[].</summary>
    public Array Data { get; } = data;

    /// <summary>The parameter whose value this is, if any: errors about a view of it name the parameter.</summary>
    public Parameter? Owner { get; set; }

    /// <summary>How many in-place writes the storage has seen.</summary>
    public int Version => Volatile.Read(ref _version);

    /// <summary>Records an in-place write (atomic: optimizers may update parameters on several threads).</summary>
    public void MarkWritten() => Interlocked.Increment(ref _version);
}
