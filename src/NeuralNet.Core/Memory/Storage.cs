namespace NeuralNet;

/// <summary>
/// Memory that something other than the tensors over it decides about: a <see cref="Parameter"/>'s values and every
/// view that aliases them (<see cref="Tensor.Detach"/>, reshapes), with a version counter that every in-place write
/// bumps; a parameter's gradient buffer; or a pooled buffer, which a training step's tape gives back when it is
/// disposed, or the tensor's own <see cref="Tensor.Dispose"/>. Values that nothing writes in place or gives back (op
/// results under 1 KB) are bare arrays, at version 0 for ever.
/// </summary>
/// <remarks>The counter belongs to the storage, not to a tensor, because a write through one view changes every
/// other (PyTorch keeps it on the storage for the same reason). A tape records the version of each value a
/// derivative rule reads and refuses to run the rule once the version has moved. A storage whose buffer was given back
/// is <em>released</em>: reading it throws instead of showing whatever the buffer holds next, so a use after the
/// return cannot go unnoticed.</remarks>
internal sealed class Storage(Array data)
{
    private Array? _data = data;
    private string? _releasedBecause;
    private int _version;

    /// <summary>The values, a <see cref="float"/>[] or a <see cref="double"/>[] (an <see cref="int"/>[] for indices an op keeps), as <paramref name="reader"/> reads them: a
    /// released storage's error names the reader's shape and dtype, says why and what to do.</summary>
    /// <exception cref="ObjectDisposedException">The storage was released.</exception>
    public Array DataFor(Tensor reader) => _data ?? throw Released($"Tensor {reader.Shape} {reader.DType}");

    /// <summary>The values as <paramref name="reader"/> (what the error names: an op's kept indices, say) reads them.</summary>
    /// <exception cref="ObjectDisposedException">The storage was released.</exception>
    public Array DataFor(string reader) => _data ?? throw Released(reader);

    /// <summary>The element type's array type, readable after a release too.</summary>
    public bool IsFloat32 { get; } = data is float[];

    /// <summary>The parameter whose value this is, if any: errors about a view of it name the parameter.</summary>
    public Parameter? Owner { get; set; }

    /// <summary>The tape whose step allocated this pooled buffer, or null for memory no tape owns (a parameter's, or a
    /// pooled result made outside a training step, which only <see cref="Tensor.Dispose"/> gives back).</summary>
    public Tape? PoolOwner { get; init; }

    /// <summary>Whether the buffer came from <see cref="BufferPool"/>, so that releasing it may give it back.</summary>
    public bool Pooled { get; init; }

    /// <summary>Whether the buffer reached the caller (a transform's result): its tape must not give it back.</summary>
    public bool Escaped { get; set; }

    // How many captured steps pin each pinned storage: kept aside, since pins are rare and a field would make every
    // storage larger; a storage's own flag is what TryRelease reads.
    private static readonly Dictionary<Storage, int> s_pins = new(ReferenceEqualityComparer.Instance);

    /// <summary>Whether a <see cref="CapturedStep"/> replays into or out of this buffer: nothing releases it meanwhile.</summary>
    public bool Pinned { get; private set; }

    /// <summary>Pins the buffer for one more captured step (several may share one buffer).</summary>
    public void Pin()
    {
        lock (s_pins)
        {
            s_pins[this] = s_pins.GetValueOrDefault(this) + 1;
            Pinned = true;
        }
    }

    /// <summary>Unpins it for one captured step; the last one's release makes it releasable again.</summary>
    public void Unpin()
    {
        lock (s_pins)
        {
            int pins = s_pins[this] - 1;
            if (pins > 0)
            {
                s_pins[this] = pins;
                return;
            }

            s_pins.Remove(this);
            Pinned = false;
        }
    }

    /// <summary>Whether <see cref="Release"/> has run.</summary>
    public bool IsReleased => _data is null;

    /// <summary>How many in-place writes the storage has seen.</summary>
    public int Version => Volatile.Read(ref _version);

    /// <summary>Records an in-place write (atomic: optimizers may update parameters on several threads).</summary>
    public void MarkWritten() => Interlocked.Increment(ref _version);

    private ObjectDisposedException Released(string reader) => new(nameof(Tensor), $"{reader}: {_releasedBecause}");

    /// <summary>Detaches the buffer so that it can be reused; every later read throws with <paramref name="reason"/>.</summary>
    /// <returns>The buffer.</returns>
    public Array Release(string reason)
    {
        Array buffer = TryRelease(reason) ?? throw new InvalidOperationException("Storage: released twice.");
        return buffer;
    }

    /// <summary>Like <see cref="Release"/>, or null when the storage was already released or is <see cref="Pinned"/>: the
    /// one atomic test, so that two views disposed on two threads cannot both give the buffer back.</summary>
    public Array? TryRelease(string reason)
    {
        // The version stays: a tape's saved-value check then reads the values and reports the release itself,
        // rather than an in-place write that never happened.
        Array? buffer = Volatile.Read(ref _data);
        if (buffer is null || Pinned)
        {
            return null;
        }

        _releasedBecause = reason;
        return Interlocked.CompareExchange(ref _data, null, buffer) == buffer ? buffer : null;
    }
}
