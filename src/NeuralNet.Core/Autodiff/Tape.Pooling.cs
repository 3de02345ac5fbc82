namespace NeuralNet;

// A training step allocates the same buffers every time. The outermost Tape.Record() of a flow owns the large buffers
// its step allocates (on its own thread) and gives back, when it is disposed, those that nothing outside the step can
// see: every value made during a backward pass (cotangents; gradients reach Parameter.Grad by a copy, a transform's
// results are marked as escaped), and the values composites mark with Recycle: the activations a Sequential passes
// between its layers, a reduced loss's per-element values, the batches Trainer.Fit gathers. Everything else a step makes, above all whatever the user's own code holds, is left to the collector.
// A given-back buffer's Storage is released, so a stale read throws instead of seeing the next step's values.
public sealed partial class Tape
{
    private const string ReleasedReason =
        "These values were a temporary of a training step (an activation passed between a Sequential's layers, a " +
        "value of a backward pass, a batch Trainer.Fit gathered, a convolution's window columns, a max pool's arg-max, " +
        "or a reduced loss's per-element values), and their buffer went back to the pool for the next step (at the end of the " +
        "backward pass, or when the Tape.Record() that made them was disposed). Read or copy them (ToArray) inside " +
        "the tape's scope, or keep a layer's output by calling the layer outside the Sequential.";

    // Pooled buffers allocated on this thread that no tensor has wrapped yet, with the tape that owns each (null for a
    // result made outside a training step, which only Tensor.Dispose gives back): a kernel allocates its result, fills
    // it, then wraps it, so the list is almost always empty or one entry long.
    [ThreadStatic]
    private static List<(Array Buffer, Tape? Owner)>? t_unclaimed;

    // The buffers this tape gives back on Dispose (only on the tape that owns a step's memory).
    private readonly List<Storage> _recyclable = [];

    // The outermost tape open when this one started: the one that owns the step's memory, if any does.
    private Tape _root = null!;

    // Whether this tape and every tape around it are Record tapes: a transform's tape anywhere on the chain may save
    // any value, so under it the root owns nothing.
    private bool _poolable;

    // On a root: how many of this root and the Record tapes nested in it are open. It gives its buffers back when the
    // count reaches 0, since an inner tape may still hold values it would give back (tapes may be disposed in any
    // order); one atomic count decides it, so exactly one Dispose does it.
    private int _openTapes;

    // How deep this thread is in a user's own derivative rule (a CustomOp's): what that code makes, it may keep.
    [ThreadStatic]
    private static int t_userRuleDepth;

    // How many backward passes are running under this owner: what they allocate is theirs alone.
    private int _backwardDepth;

    /// <summary>
    /// The tape that owns what this thread allocates now: the outermost open tape of the flow, when every tape from it
    /// to the innermost is a <see cref="Record"/> tape (a transform's private tape anywhere on the chain may save any
    /// value, so then nothing is owned), gradients are enabled, and this thread is recording on it.
    /// </summary>
    private static Tape? MemoryOwner()
    {
        // Under no-grad nothing is recorded, so nothing would hold a pooled value for the step: leave it all to the
        // collector rather than keep it until the tape is disposed.
        if (s_innermost.Value is not { _poolable: true } innermost || !GradMode.IsEnabled)
        {
            return null;
        }

        Tape root = innermost._root;
        return !root._closed && root._owner == Environment.CurrentManagedThreadId ? root : null;
    }

    /// <summary>Sets up a new tape's place in the memory ownership: called by the constructor.</summary>
    private void JoinMemoryOwner()
    {
        _root = _outer?._root ?? this;
        _poolable = _watchesParameters && (_outer is null || _outer._poolable);
        if (_root == this)
        {
            _openTapes = 1;
        }
        else if (_poolable)
        {
            Interlocked.Increment(ref _root._openTapes);
        }
    }

    /// <summary>Leaves the memory ownership on Dispose: the last of a root and its inner Record tapes gives the buffers back.</summary>
    private void LeaveMemoryOwner()
    {
        if ((_root == this || _poolable) && Interlocked.Decrement(ref _root._openTapes) == 0)
        {
            _root.ReleaseStepMemory();
        }
    }

    /// <summary>Marks the extent of a user's derivative rule: buffers it allocates are never given back.</summary>
    internal static UserRuleScope InUserRule()
    {
        t_userRuleDepth++;
        return default;
    }

    /// <summary>
    /// An array for an op's result, zeroed or (for a kernel that writes every element) with unspecified contents:
    /// from the pool when it is large enough. A step that owns this thread's memory gives it back; outside one, the
    /// result's <see cref="Tensor.Dispose"/> does, and a result never disposed is left to the collector.
    /// </summary>
    internal static T[] Allocate<T>(int length, bool zeroed)
        where T : unmanaged
    {
        if (CaptureSession.HasRedirect && CaptureSession.TakeRedirect<T>(length) is { } target)
        {
            // A captured step's replay: the kernel writes straight into its captured output.
            if (zeroed)
            {
                Array.Clear(target);
            }

            return target;
        }

        if (!BufferPool.Pools<T>(length))
        {
            return BufferPool.Fresh<T>(length, zeroed);
        }

        Tape? owner = MemoryOwner();
        T[] buffer = BufferPool.Rent<T>(length, zeroed);
        List<(Array, Tape?)> unclaimed = t_unclaimed ??= [];
        if (unclaimed.Count == 16)
        {
            // A buffer allocated and never wrapped is left to the collector, not tracked for ever.
            unclaimed.RemoveAt(0);
        }

        unclaimed.Add((buffer, owner));
        return buffer;
    }

    /// <summary>
    /// A buffer with unspecified contents that an op keeps for its own derivative rules rather than in a tensor (a max
    /// pool's arg-max): from the pool when it is large enough, and given back with the step that owns this thread's
    /// memory, since only that step's graph reads it. A capture pins it for its replays, which rewrite it in place.
    /// Outside a step the collector takes it; a read after it went back throws, as a tensor's does.
    /// </summary>
    internal static Storage AllocateKept<T>(int length)
        where T : unmanaged
    {
        if (!BufferPool.Pools<T>(length))
        {
            return new Storage(BufferPool.Fresh<T>(length, zeroed: false));
        }

        Tape? owner = MemoryOwner();
        var storage = new Storage(BufferPool.Rent<T>(length, zeroed: false)) { PoolOwner = owner, Pooled = true };
        CaptureSession.Current?.Keep(storage);
        if (t_userRuleDepth == 0)
        {
            // As for tensors: what a custom op's rule allocates is never given back, since the rule may keep it.
            owner?._recyclable.Add(storage);
        }

        return storage;
    }

    /// <summary>
    /// What a new tensor over <paramref name="data"/> holds: the pooled buffer's <see cref="Storage"/> when
    /// <paramref name="data"/> came from <see cref="Allocate{T}(int, bool)"/> on this thread, otherwise the array itself.
    /// </summary>
    internal static object Claim(Array data)
    {
        List<(Array Buffer, Tape? Owner)>? unclaimed = t_unclaimed;
        if (unclaimed is not { Count: > 0 })
        {
            return data;
        }

        for (int i = unclaimed.Count - 1; i >= 0; i--)
        {
            if (ReferenceEquals(unclaimed[i].Buffer, data))
            {
                Tape? owner = unclaimed[i].Owner;
                unclaimed.RemoveAt(i);
                var storage = new Storage(data) { PoolOwner = owner, Pooled = true };
                if (owner is { _backwardDepth: > 0 } && t_userRuleDepth == 0)
                {
                    owner._recyclable.Add(storage);
                }

                return storage;
            }
        }

        return data;
    }

    /// <summary>
    /// Gives back an op's internal temporary (a convolution's columns), which only the rules of the ops that made
    /// <paramref name="result"/> read: with the step when a tape recorded those ops or a capture is recording them,
    /// otherwise at once (constant operands, inference, a tape kept open over many evaluations), so that nothing holds it
    /// until some tape is disposed.
    /// </summary>
    internal static void RecycleTemporary(Tensor result, Tensor temporary)
    {
        if (result.IsTracked || CaptureSession.Current is not null)
        {
            Recycle(temporary);
        }
        else
        {
            temporary.Dispose();
        }
    }

    /// <summary>
    /// Gives back at once a buffer from <see cref="AllocateKept{T}"/> when nothing recorded the op that keeps it for its
    /// rules (see <see cref="RecycleTemporary"/>); otherwise the step that owns it gives it back.
    /// </summary>
    internal static void ReturnKeptUnlessRecorded(Tensor result, Storage kept)
    {
        if (!result.IsTracked && CaptureSession.Current is null && kept.Pooled && kept.TryRelease(ReleasedReason) is { } buffer)
        {
            BufferPool.Return(buffer);
        }
    }

    /// <summary>
    /// Marks <paramref name="value"/>'s buffer as a temporary of the current step: given back when the tape that owns
    /// the step is disposed. For values no caller can see (a composite module's activations between its layers).
    /// </summary>
    internal static void Recycle(Tensor value)
    {
        if (value.Storage is { PoolOwner: { } owner } storage && owner == MemoryOwner())
        {
            owner._recyclable.Add(storage);
        }
    }

    /// <summary>
    /// Marks <paramref name="value"/>'s buffers as handed to a caller, at every level (its primals and its tangents, a
    /// forward-over-reverse result's included): no tape gives them back.
    /// </summary>
    internal static void Escape(Tensor value)
    {
        for (Tensor? level = value; level is not null; level = level.Primal)
        {
            if (level.Storage is { } storage)
            {
                storage.Escaped = true;
            }

            if (level.Tangent is { } tangent)
            {
                Escape(tangent);
            }
        }
    }

    /// <summary>
    /// Counts a backward pass of <paramref name="running"/> under the memory owner, if any, until the returned scope is
    /// disposed. When the owner runs the pass itself, builds no graph, and no Record tape is open inside it, nothing
    /// records the pass (no tape is around the owner, and an inner tape would record it through a tracked cotangent or
    /// a parameter a rule reads), so what it allocated is dead once the caller has taken its results: the scope gives
    /// it back at once, and a tape kept open for many passes does not hoard them.
    /// </summary>
    private static BackwardScope EnterBackward(Tape running, bool createGraph)
    {
        // A transform's pass (its pullback, maybe long after its function returned) keeps nothing for the step: its
        // values are garbage when it ends, or saved by the transform's own tape.
        Tape? owner = running._poolable ? MemoryOwner() : null;
        if (owner is null)
        {
            return default;
        }

        owner._backwardDepth++;
        bool unrecorded = running == owner && !createGraph && Volatile.Read(ref owner._openTapes) == 1;
        return new BackwardScope(owner, unrecorded ? owner._recyclable.Count : -1);
    }

    /// <summary>Gives back every recyclable buffer that did not escape.</summary>
    private void ReleaseStepMemory()
    {
        ReleaseFrom(0);

        // Almost always empty: checked first, so a step's Dispose allocates no predicate.
        if (t_unclaimed is { Count: > 0 } unclaimed)
        {
            unclaimed.RemoveAll(entry => entry.Owner == this);
        }
    }

    /// <summary>Gives back the recyclable buffers from index <paramref name="first"/> on that did not escape.</summary>
    private void ReleaseFrom(int first)
    {
        for (int i = first; i < _recyclable.Count; i++)
        {
            // A storage its tensor's Dispose already gave back is skipped, and TryRelease decides a race with one.
            if (_recyclable[i] is { Escaped: false } storage && storage.TryRelease(ReleasedReason) is { } buffer)
            {
                BufferPool.Return(buffer);
            }
        }

        _recyclable.RemoveRange(first, _recyclable.Count - first);
    }

    /// <summary>The extent of a user's derivative rule (see <see cref="InUserRule"/>).</summary>
    internal readonly struct UserRuleScope : IDisposable
    {
        public void Dispose() => t_userRuleDepth--;
    }

    /// <summary>The extent of one backward pass: <paramref name="releaseFrom"/> ≥ 0 gives its buffers back at the end.</summary>
    private readonly struct BackwardScope(Tape? owner, int releaseFrom) : IDisposable
    {
        public void Dispose()
        {
            if (owner is null)
            {
                return;
            }

            owner._backwardDepth--;
            if (releaseFrom >= 0)
            {
                owner.ReleaseFrom(releaseFrom);
            }
        }
    }
}
