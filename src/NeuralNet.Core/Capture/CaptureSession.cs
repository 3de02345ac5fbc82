namespace NeuralNet;

/// <summary>
/// The recorder behind <see cref="CapturedStep.Capture(Tensor, Func{Tensor, Tensor})"/>: while a step is captured on a
/// thread, every kernel the dispatcher runs, every write into a <see cref="Parameter.Grad"/> and every host-side update an
/// optimizer, a schedule or a module's buffer makes is appended, in order, as a <see cref="ReplayAction"/>.
/// </summary>
/// <remarks>Thread-static rather than per flow, because a capture is one synchronous run of the step on one thread, and
/// the dispatcher reads it on every op; an <see cref="AsyncLocal{T}"/> marks the flow as well, so that an op run on
/// another thread of the capture's flow (a <c>Parallel.For</c> in the step) is refused instead of silently missing from
/// the replay.</remarks>
internal sealed class CaptureSession
{
    [ThreadStatic]
    private static CaptureSession? t_current;

    [ThreadStatic]
    private static Array? t_redirect;

    private static readonly AsyncLocal<CaptureSession?> s_flow = new();

    // How many captures are open anywhere, and how many replayed kernels have an allocation redirected: the hooks on
    // the dispatcher's and the allocator's paths cost one static read each when there are none.
    private static int s_open;
    private static int s_redirects;

    private readonly List<ReplayAction> _actions = [];
    private readonly List<ReplayAction> _guards = [];
    private readonly Dictionary<string, HashSet<object>> _guarded = [];
    private readonly List<Storage> _pinned = [];
    private readonly HashSet<Storage> _pinnedSet = new(ReferenceEqualityComparer.Instance);

    // How deep the dispatcher is inside a recorded kernel: ops a composite's forward runs are its own business.
    private int _kernelDepth;

    private CaptureSession(int[]? labels) => Labels = labels;

    /// <summary>The capture recording on this thread, or null (also while a host action runs). With no capture open
    /// anywhere, one static read instead of a thread-static one: eager paths (a gradient's write, an optimizer's step) ask.</summary>
    public static CaptureSession? Current => s_open == 0 ? null : t_current;

    /// <summary>Whether any capture is open on any thread: the hot paths' first check, a plain static read.</summary>
    public static bool AnyOpen => s_open != 0;

    /// <summary>The labels the step was captured with, which cross-entropy reads in place rather than copying.</summary>
    public int[]? Labels { get; }

    /// <summary>What was recorded, in order.</summary>
    public IReadOnlyList<ReplayAction> Actions => _actions;

    /// <summary>What every replay checks before it runs anything: the labels' range, the modes the step was captured in.</summary>
    public IReadOnlyList<ReplayAction> Guards => _guards;

    /// <summary>
    /// Records that the step read <paramref name="what"/> of <paramref name="owner"/> as <paramref name="captured"/> (a
    /// module's training mode, a parameter's <c>RequiresGrad</c>): a replay first checks that it still is, and refuses
    /// to run otherwise, since the recorded ops follow from it.
    /// </summary>
    public void Guard(object owner, string what, bool captured, Func<bool> read)
    {
        // By reference: a module of the user's may define its own equality.
        if (!_guarded.TryGetValue(what, out HashSet<object>? owners))
        {
            _guarded[what] = owners = new HashSet<object>(ReferenceEqualityComparer.Instance);
        }

        if (owners.Add(owner))
        {
            _guards.Add(new StateCheck(owner, what, captured, read));
        }
    }

    /// <summary>Starts recording on this thread.</summary>
    /// <exception cref="InvalidOperationException">A capture is already recording on this thread.</exception>
    public static CaptureSession Begin(int[]? labels)
    {
        if (t_current is not null || s_flow.Value is not null)
        {
            throw new InvalidOperationException("CapturedStep.Capture: a step is already being captured; captures do not nest.");
        }

        var session = new CaptureSession(labels);
        t_current = session;
        s_flow.Value = session;
        Interlocked.Increment(ref s_open);
        return session;
    }

    /// <summary>The pooled storages the recorded actions read or write, kept out of the pool until <see cref="Unpin"/>.</summary>
    /// <remarks>Unpinned buffers go to the collector, not back to the pool: a tensor the user kept may still read them.</remarks>
    public void Unpin()
    {
        foreach (Storage storage in _pinned)
        {
            storage.Unpin();
        }

        _pinned.Clear();
        _pinnedSet.Clear();
    }

    /// <summary>Stops recording.</summary>
    public void End()
    {
        t_current = null;
        s_flow.Value = null;
        Interlocked.Decrement(ref s_open);
    }

    /// <summary>Throws, naming <paramref name="what"/>, when a step is being captured on this thread: for things a replay
    /// could not repeat (a random draw, a value read on the host).</summary>
    /// <exception cref="NotSupportedException">A step is being captured.</exception>
    public static void Refuse(string what)
    {
        if (Current is not null)
        {
            throw new NotSupportedException(
                $"CapturedStep.Capture: {what}. A captured step replays the same kernels on the same buffers, so it cannot " +
                "draw new random numbers or act on values read on the host; do that outside the step, or run the step eagerly " +
                "(the capture has run the step up to here, an optimizer step included if it came first).");
        }
    }

    /// <summary>
    /// Runs <paramref name="update"/>, a host-side update that reads and writes tensors directly (an optimizer's step, a
    /// buffer copy), and records it to run again at every replay. Returns false, running nothing, when no capture is
    /// recording: the caller then runs the update itself.
    /// </summary>
    public static bool RunRecorded(Action update)
    {
        if (t_current is not { } session)
        {
            return false;
        }

        session._actions.Add(new HostUpdate(update));
        using (Suspend())
        {
            update();
        }

        return true;
    }

    /// <summary>Stops recording until the scope is disposed, for code whose effects are replayed some other way (a host
    /// update, which runs again as a whole): its ops are neither recorded nor refused.</summary>
    public static SuspendScope Suspend()
    {
        CaptureSession? session = t_current;
        if (session is null)
        {
            return default;
        }

        t_current = null;
        s_flow.Value = null;
        return new SuspendScope(session);
    }

    /// <summary>The capture that records the op the dispatcher runs now, or null; asked only while <see cref="AnyOpen"/>.</summary>
    /// <exception cref="InvalidOperationException">The op runs on another thread of a capture's flow.</exception>
    public static CaptureSession? Recording()
    {
        if (t_current is null && s_flow.Value is not null)
        {
            throw new InvalidOperationException(
                "CapturedStep.Capture: an op ran on another thread while the step was being captured on its own; a capture " +
                "records one thread's ops, so run the step's ops on the thread that captures it.");
        }

        return t_current;
    }

    /// <summary>Runs <paramref name="op"/>'s forward kernel and records it, unless it ran inside another recorded kernel
    /// (a composite op's forward, which the replay reruns as a whole).</summary>
    public Tensor Forward(Op op, Tensor[] inputs)
    {
        Tensor output;
        _kernelDepth++;
        try
        {
            output = op.Forward(inputs);
        }
        finally
        {
            _kernelDepth--;
        }

        if (_kernelDepth == 0)
        {
            RecordKernel(op, inputs, output);
        }

        return output;
    }

    /// <summary>
    /// Records an element-wise kernel that a derivative rule or an op's set-up ran directly rather than through the
    /// dispatcher (the 0/1 masks of piecewise ops, a sign): its result is a constant where it is used, but a function of
    /// the batch all the same, so a replay must compute it again. Inside a recorded kernel it is that kernel's business.
    /// </summary>
    public static void RecordDirect<TKernel>(Tensor x, Tensor y, TKernel kernel, Tensor output)
        where TKernel : IBinaryKernel
    {
        if (t_current is { _kernelDepth: 0 } session && !output.SharesValuesWith(x) && !output.SharesValuesWith(y))
        {
            session._actions.Add(new ZipReplay<TKernel>(session.Keep(x), session.Keep(y), kernel, session.Keep(output)));
        }
    }

    private void RecordKernel(Op op, Tensor[] inputs, Tensor output)
    {
        // A view of an input (a reshape, a same-shape broadcast) is the input's buffer: nothing to recompute.
        foreach (Tensor input in inputs)
        {
            if (output.SharesValuesWith(input))
            {
                return;
            }
        }

        var kept = new Tensor[inputs.Length];
        for (int i = 0; i < kept.Length; i++)
        {
            kept[i] = Keep(inputs[i]);
        }

        _actions.Add(new KernelReplay(op, kept, Keep(output)));
    }

    /// <summary>
    /// A tensor of the step's own over <paramref name="value"/>'s buffer, pinned: the user's object may be disposed
    /// (which marks only that object) without the replay losing the buffer it reads or writes. For a host update that
    /// reads a tensor, too.
    /// </summary>
    public Tensor Keep(Tensor value)
    {
        Pin(value);
        return value.Alias();
    }

    /// <summary>Records a write of <paramref name="source"/> into <paramref name="parameter"/>'s gradient that left
    /// <paramref name="grad"/> as <see cref="Parameter.Grad"/>.</summary>
    public void RecordGradient(Parameter parameter, Tensor? source, GradientWrite write, Tensor? grad) =>
        _actions.Add(new GradientReplay(parameter, source is null ? null : Keep(source), write, grad));

    /// <summary>
    /// The labels an op keeps: a copy, so that the caller's later writes cannot change a recorded derivative; or, when
    /// they are the labels of the step being captured, the array itself, which every replay refills and checks first
    /// against the classes of <paramref name="logits"/> [n, classes].
    /// </summary>
    public static int[] KeepLabels(string op, int[] labels, Shape logits)
    {
        if (t_current is { } session && ReferenceEquals(labels, session.Labels))
        {
            session._guards.Add(new LabelCheck(op, labels, logits));
            return labels;
        }

        if (t_current is { Labels: { } captured } && labels.AsSpan().SequenceEqual(captured))
        {
            Refuse($"{op} got a copy of the captured labels, which a replay would not refill (pass the labels the step was given)");
        }

        return (int[])labels.Clone();
    }

    /// <summary>Refuses code that reads the step's labels on the host (a loss building indices, a one-hot encoding), which a
    /// replay would not redo.</summary>
    /// <exception cref="NotSupportedException">A step is being captured with these labels.</exception>
    public static void RefuseHostLabels(string op, int[] labels)
    {
        if (t_current is { } session && ReferenceEquals(labels, session.Labels))
        {
            Refuse($"{op} reads the labels on the host (use Losses.CrossEntropy with the labels, which reads them in its kernel)");
        }
    }

    /// <summary>The replayed kernel's output buffer when it is what an allocation of <paramref name="length"/> elements of
    /// <typeparamref name="T"/> on this thread should return (once), else null.</summary>
    public static T[]? TakeRedirect<T>(int length)
    {
        if (t_redirect is T[] target && target.Length == length)
        {
            t_redirect = null;
            return target;
        }

        return null;
    }

    /// <summary>Sets the buffer the next allocation of its length on this thread returns, until <see cref="EndRedirect"/>
    /// (a replayed kernel's fallback).</summary>
    public static void Redirect(Array target)
    {
        Interlocked.Increment(ref s_redirects);
        t_redirect = target;
    }

    /// <summary>Ends a <see cref="Redirect"/>, whether or not an allocation took the buffer.</summary>
    public static void EndRedirect()
    {
        t_redirect = null;
        Interlocked.Decrement(ref s_redirects);
    }

    /// <summary>Whether a redirect may be pending on this thread: a static read on the allocation path, then a thread-static one.</summary>
    public static bool HasRedirect => s_redirects != 0 && t_redirect is not null;

    /// <summary>The extent of a <see cref="Suspend"/>.</summary>
    internal readonly struct SuspendScope(CaptureSession? session) : IDisposable
    {
        public void Dispose()
        {
            if (session is not null)
            {
                t_current = session;
                s_flow.Value = session;
            }
        }
    }

    /// <summary>Keeps a pooled buffer out of the pool for as long as the capture lives: no tape gives it back and no
    /// <see cref="Tensor.Dispose"/> does.</summary>
    private void Pin(Tensor value)
    {
        if (value.Storage is { } storage)
        {
            Keep(storage);
        }
    }

    /// <summary>Pins a buffer that a recorded action reads or writes outside any tensor (an op's kept arg-max), as
    /// <see cref="Pin(Tensor)"/> pins a tensor's.</summary>
    public void Keep(Storage storage)
    {
        if (storage.Pooled && _pinnedSet.Add(storage))
        {
            storage.Escaped = true;
            storage.Pin();
            _pinned.Add(storage);
        }
    }
}
