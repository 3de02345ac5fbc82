namespace NeuralNet;

/// <summary>
/// The memory behind a tensor and every view that aliases it (<see cref="Tensor.Detach"/>, a same-dtype
/// <see cref="Tensor.To"/>, reshapes, a <see cref="Parameter"/>'s value), with a version counter that every
/// in-place write bumps.
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
