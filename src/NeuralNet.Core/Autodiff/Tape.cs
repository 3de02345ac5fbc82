namespace NeuralNet;

/// <summary>
/// Reverse-mode automatic differentiation: records the ops applied to parameters and watched tensors during a
/// forward pass, then runs their VJP rules backwards (backpropagation).
/// </summary>
/// <remarks>
/// <code>
/// using var tape = Tape.Record();
/// Tensor loss = ((x.MatMul(w) - y).Square()).Mean();
/// tape.Backward(loss);              // fills w.Grad for every Parameter w
/// </code>
/// A value used on several paths receives the sum of their gradients. Tapes nest: an inner tape's backward
/// pass is itself recorded by the tapes around it, so gradients can be differentiated again. Disposing the
/// tape frees everything it saved; tensors it produced then act as plain values.
/// Tapes, like <see cref="Autodiff.NoGrad"/> scopes, belong to the logical flow that created them: they follow
/// an <c>await</c>, and work started elsewhere does not record on them. A tape that is never disposed keeps
/// recording every parameter op of its flow, so always dispose it (a <c>using</c>).
/// A tape records on one thread at a time: work that other threads start inside its scope sees it, and recording on
/// it from there throws an <see cref="InvalidOperationException"/> while the owning thread holds it; an <c>await</c>
/// hands it to the thread the continuation runs on. Independent tapes on independent threads are fully supported.
/// </remarks>
public sealed partial class Tape : IDisposable
{
    // The innermost tape of this logical flow (it follows await); each tape links to the one around it.
    private static readonly AsyncLocal<Tape?> s_innermost = new(OnInnermostChanged);

    [ThreadStatic]
    private static List<Tape>? t_chain;

    // How many nodes, leaves and parameter leaves the last tape disposed on this thread held: a training loop records
    // the same step every time, so a tape sized from these grows none of its lists (each growth is a new array).
    [ThreadStatic]
    private static int t_lastNodeCount, t_lastLeafCount, t_lastParameterLeafCount;

    private readonly List<Node> _nodes = new(t_lastNodeCount);

    // The leaves that stand for parameters: given their gradients after Backward without walking the whole tape.
    private readonly List<Node> _parameterLeaves = new(t_lastParameterLeafCount);

    private readonly Tape? _outer;
    private bool _closed;
    private readonly Dictionary<Tensor, Tensor> _leaves = new(t_lastLeafCount, ReferenceEqualityComparer.Instance);
    private readonly bool _watchesParameters;
    private bool _disposed;

    private Tape(bool watchesParameters)
    {
        _watchesParameters = watchesParameters;
        Level = new Level(this);
        _owner = Environment.CurrentManagedThreadId;
        _outer = s_innermost.Value;
        JoinMemoryOwner();
        s_innermost.Value = this;
    }

    /// <summary>
    /// Starts recording on this thread. Every <see cref="Parameter"/> with <see cref="Parameter.RequiresGrad"/>
    /// is watched; other tensors are watched with <see cref="Watch"/>.
    /// </summary>
    public static Tape Record() => new(watchesParameters: true);

    /// <summary>A tape that records only what is explicitly watched: the transforms' own tapes.</summary>
    internal static Tape RecordWatchedOnly() => new(watchesParameters: false);

    internal Level Level { get; }

    /// <summary>The number of ops recorded so far (leaves included).</summary>
    public int Count => _nodes.Count;

    /// <summary>
    /// Watches <paramref name="x"/>: ops on it (or on the returned tensor) are recorded, and gradients with
    /// respect to it can be asked for.
    /// </summary>
    /// <returns>The tracked tensor that stands for <paramref name="x"/> on this tape.</returns>
    /// <exception cref="ObjectDisposedException">The tape was disposed.</exception>
    public Tensor Watch(Tensor x)
    {
        ThrowIfDisposed(nameof(Watch));
        EnsureRecordingThread(nameof(Watch));
        if (_leaves.TryGetValue(x, out Tensor? leaf))
        {
            return leaf;
        }

        Tensor below = LiftThrough(_outer, x, nameof(Watch));
        return AddLeaf(x, below);
    }

    /// <summary>
    /// Backpropagates from <paramref name="output"/> and adds the gradient of every watched
    /// <see cref="Parameter"/> into its <see cref="Parameter.Grad"/>.
    /// </summary>
    /// <param name="output">A scalar loss, or any output when <paramref name="cotangent"/> is given.</param>
    /// <param name="cotangent">The upstream gradient, of <paramref name="output"/>'s shape; 1 for a scalar when omitted.</param>
    /// <param name="retainGraph">Let later backward passes run through the same recorded ops again (PyTorch's
    /// <c>retain_graph</c>); they add their gradients again. Without it, as in PyTorch, a second pass through any op this
    /// one went through is refused, since adding the same gradients twice is almost always a bug.</param>
    /// <exception cref="ObjectDisposedException">The tape was disposed.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="output"/> was not recorded on this tape, or an earlier
    /// backward pass without <paramref name="retainGraph"/> already went through its ops.</exception>
    /// <exception cref="ArgumentException">A non-scalar output without a cotangent, or a cotangent of the wrong shape.</exception>
    public void Backward(Tensor output, Tensor? cotangent = null, bool retainGraph = false)
    {
        ThrowIfDisposed(nameof(Backward));
        EnsureRecordingThread(nameof(Backward));
        output = AtThisLevel(output);
        if (output.Level != Level)
        {
            throw new InvalidOperationException(
                "Backward: the output was not recorded on this tape; compute it from parameters or watched tensors inside the tape's scope.");
        }

        List<Node>? visited = retainGraph ? null : [];
        Tensor seed = Seed(nameof(Backward), output, cotangent);
        using BackwardScope memory = EnterBackward(this, createGraph: false);
        Tensor?[] gradients = Propagate(nameof(Backward), output, seed, createGraph: false, keep: null, visited);
        foreach (Node node in visited ?? [])
        {
            node.Consumed = true;
        }

        foreach (Node node in _parameterLeaves)
        {
            if (gradients[node.Index] is { } gradient)
            {
                ((Parameter)node.Source!).AccumulateGrad(gradient);
            }
        }
    }

    /// <summary>The gradient of <paramref name="output"/> with respect to one watched tensor or parameter.</summary>
    /// <inheritdoc cref="Gradient(Tensor, IReadOnlyList{Tensor}, Tensor?, bool)"/>
    public Tensor Gradient(Tensor output, Tensor input, Tensor? cotangent = null, bool createGraph = false) =>
        Gradient(output, [input], cotangent, createGraph)[0];

    /// <summary>
    /// The gradients (vector-Jacobian products) of <paramref name="output"/> with respect to
    /// <paramref name="inputs"/>: zeros for an input the output does not depend on.
    /// </summary>
    /// <param name="output">A scalar, or any output when <paramref name="cotangent"/> is given.</param>
    /// <param name="inputs">Watched tensors, parameters, or tensors recorded on this tape.</param>
    /// <param name="cotangent">The upstream gradient, of <paramref name="output"/>'s shape; 1 for a scalar when omitted.</param>
    /// <param name="createGraph">Record the backward pass on this tape too (PyTorch's <c>create_graph</c>), so the
    /// gradients can be differentiated again.</param>
    /// <exception cref="ObjectDisposedException">The tape was disposed.</exception>
    /// <exception cref="ArgumentException">An input is not watched by this tape, a non-scalar output has no
    /// cotangent, or the cotangent has the wrong shape.</exception>
    public Tensor[] Gradient(Tensor output, IReadOnlyList<Tensor> inputs, Tensor? cotangent = null, bool createGraph = false)
    {
        ThrowIfDisposed(nameof(Gradient));
        EnsureRecordingThread(nameof(Gradient));
        var inputNodes = new Node[inputs.Count];
        for (int i = 0; i < inputs.Count; i++)
        {
            // A parameter this tape watches but the output never used gets its zero gradient, not an error.
            inputNodes[i] = NodeOf(inputs[i])
                ?? (_watchesParameters && inputs[i] is Parameter { RequiresGrad: true } unused ? Watch(unused).Node! : null)
                ?? throw new ArgumentException(
                $"Gradient: input {i} (shape {inputs[i].Shape}) is not watched by this tape; call tape.Watch on it before using it.",
                nameof(inputs));
        }

        output = AtThisLevel(output);
        return Pullback(nameof(Gradient), output, inputNodes, Seed(nameof(Gradient), output, cotangent), createGraph);
    }

    /// <summary>
    /// The tensor that stands for <paramref name="output"/> on this tape: inactive levels are dropped, and so are levels
    /// nested inside this one (an output computed while an inner tape or dual level was open wraps this tape's record).
    /// </summary>
    private Tensor AtThisLevel(Tensor output)
    {
        output = Dispatcher.Strip(output);
        while (output.Level is { } level && level.Order > Level.Order)
        {
            output = Dispatcher.Strip(output.Primal!);
        }

        return output;
    }

    /// <summary>The cotangents of the leaves <paramref name="inputNodes"/> for the seed <paramref name="cotangent"/>; <paramref name="caller"/> names the transform in errors.</summary>
    internal Tensor[] Pullback(string caller, Tensor output, Node[] inputNodes, Tensor cotangent, bool createGraph)
    {
        var keep = new bool[_nodes.Count];
        foreach (Node node in inputNodes)
        {
            keep[node.Index] = true;
        }

        using BackwardScope memory = EnterBackward(this, createGraph);
        Tensor?[]? gradients = output.Level == Level ? Propagate(caller, output, cotangent, createGraph, keep) : null;
        var result = new Tensor[inputNodes.Length];
        for (int i = 0; i < inputNodes.Length; i++)
        {
            result[i] = gradients?[inputNodes[i].Index] ?? Tensor.Zeros(inputNodes[i].Shape, inputNodes[i].DType);
            Escape(result[i]);
        }

        return result;
    }

    /// <summary>Checks a cotangent for <paramref name="output"/>, or makes the scalar seed 1.</summary>
    internal static Tensor Seed(string op, Tensor output, Tensor? cotangent)
    {
        if (cotangent is null)
        {
            if (output.Size != 1)
            {
                throw new ArgumentException(
                    $"{op}: the output has shape {output.Shape}; a non-scalar output needs a cotangent of that shape.", nameof(cotangent));
            }

            return Tensor.OnesLike(output);
        }

        if (cotangent.Shape != output.Shape || cotangent.DType != output.DType)
        {
            throw new ArgumentException(
                $"{op}: cotangent {cotangent.Shape} {cotangent.DType} does not match output {output.Shape} {output.DType}.", nameof(cotangent));
        }

        return cotangent;
    }

    /// <summary>Stops recording and frees every saved tensor. Tensors the tape produced act as plain values afterwards.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        t_lastNodeCount = _nodes.Count;
        t_lastLeafCount = _leaves.Count;
        t_lastParameterLeafCount = _parameterLeaves.Count;
        StopRecording();
        foreach (Node node in _nodes)
        {
            node.Release();
        }

        _nodes.Clear();
        _parameterLeaves.Clear();
        LeaveMemoryOwner();
    }

    /// <summary>Closes the tape for recording and releases what it watches, but keeps the recorded ops for a pullback that runs later.</summary>
    internal void StopRecording()
    {
        Level.IsActive = false;
        _closed = true;
        if (s_innermost.Value == this)
        {
            // Skip tapes already closed out of order, so they are not kept alive as the innermost. (Not merely
            // inactive ones: a tape is inactive for the length of its own backward pass.)
            Tape? outer = _outer;
            while (outer is { _closed: true })
            {
                outer = outer._outer;
            }

            s_innermost.Value = outer;
        }

        foreach (Tensor watched in _leaves.Keys)
        {
            Interlocked.Decrement(ref watched.WatchCount);
        }

        _leaves.Clear();
    }

    /// <summary>Appends a recorded op and returns its tracked output.</summary>
    internal Tensor Append(Op op, Tensor[] inputs, Tensor output)
    {
        EnsureRecordingThread(op.Name);
        var node = new Node(op, inputs, output, Level, _nodes.Count);
        _nodes.Add(node);
        var result = new Tensor(output, Level, node);
        node.SaveOutput(result);
        return result;
    }

    /// <summary>
    /// Replaces a watched tensor or parameter by the tracked leaf of every recording tape, outermost first, so
    /// that nested tapes all see it.
    /// </summary>
    /// <param name="x">The tensor.</param>
    /// <param name="op">The op about to use it, for errors.</param>
    internal static Tensor Lift(Tensor x, string op) =>
        x.WatchCount == 0 && x is not Parameter { RequiresGrad: true } ? x : LiftThrough(s_innermost.Value, x, op);

    /// <summary>Lifts <paramref name="x"/> through <paramref name="tape"/> and every tape around it, outermost first.</summary>
    private static Tensor LiftThrough(Tape? tape, Tensor x, string op)
    {
        // Outermost first, by a loop over the chain rather than recursion: a program may leave any number of tapes
        // open. The buffer is per thread and nothing below re-enters this method, so it is never shared.
        List<Tape> chain = t_chain ??= [];
        chain.Clear();
        for (Tape? t = tape; t is not null; t = t._outer)
        {
            chain.Add(t);
        }

        Tensor below = x;
        for (int i = chain.Count - 1; i >= 0; i--)
        {
            Tape t = chain[i];
            if (!t.Level.IsActive)
            {
                continue;
            }

            t.EnsureRecordingThread(op);
            if (t._leaves.TryGetValue(x, out Tensor? leaf))
            {
                below = leaf;
            }
            else if (t._watchesParameters && x is Parameter { RequiresGrad: true })
            {
                below = t.AddLeaf(x, below);
            }
        }

        chain.Clear();
        return below;
    }

    private Tensor AddLeaf(Tensor source, Tensor below)
    {
        var node = new Node(source, _nodes.Count);
        _nodes.Add(node);
        var leaf = new Tensor(below, Level, node);
        _leaves[source] = leaf;
        Interlocked.Increment(ref source.WatchCount);
        if (source is Parameter)
        {
            _parameterLeaves.Add(node);
        }

        return leaf;
    }

    /// <summary>The node that stands for <paramref name="x"/> on this tape, or null.</summary>
    internal Node? NodeOf(Tensor x)
    {
        if (_leaves.TryGetValue(x, out Tensor? leaf))
        {
            return leaf.Node;
        }

        x = Dispatcher.Strip(x);
        return x.Level == Level ? x.Node : null;
    }

    /// <summary>
    /// Runs the VJP rules from <paramref name="output"/> back to the leaves. Recording order is a topological
    /// order, so one reverse sweep visits every node after all of its consumers.
    /// </summary>
    /// <exception cref="InvalidOperationException">A value a rule reads was changed in place since it was recorded.</exception>
    /// <param name="caller">Names the entry point in errors.</param>
    /// <param name="output">Where the pass starts.</param>
    /// <param name="seed">The output's cotangent.</param>
    /// <param name="createGraph">Record the pass on this tape too.</param>
    /// <param name="keep">Nodes whose cotangents the caller wants back (all leaves keep theirs), or null.</param>
    /// <param name="visited">Receives every op node the pass went through, when not null.</param>
    private Tensor?[] Propagate(string caller, Tensor output, Tensor seed, bool createGraph, bool[]? keep, List<Node>? visited = null)
    {
        int count = _nodes.Count;
        var cotangents = new Tensor?[count];
        cotangents[output.Node!.Index] = seed;

        // Without createGraph this level stops recording, so the rules run on the values one level below and
        // only the tapes around this one record them (which is what nested derivatives need).
        bool wasActive = Level.IsActive;
        Level.IsActive = createGraph;
        try
        {
            for (int index = output.Node.Index; index >= 0; index--)
            {
                Node node = _nodes[index];
                if (node.Op is not { } op || cotangents[index] is not { } cotangent)
                {
                    continue;
                }

                if (node.Consumed)
                {
                    throw new InvalidOperationException(
                        $"{caller}: {op.Name} was already backpropagated through by an earlier Backward, whose gradients are in Grad; " +
                        "pass retainGraph: true to that call to run through the same ops again (the gradients then add up), or record a new tape.");
                }

                visited?.Add(node);
                var (inputs, result) = node.Unpack(caller, Level, tracked: createGraph);
                bool[] needed = node.Needed;
                Tensor?[] contributions;
                using (AnomalyMode.IsEnabled ? AnomalyMode.InBackwardOf(op.Name) : null)
                {
                    contributions = op.Vjps(cotangent, inputs, result, needed);
                }

                for (int i = 0; i < node.InputCount; i++)
                {
                    if (!needed[i] || contributions[i] is not { } contribution)
                    {
                        continue;
                    }

                    Shape shape = node.InputShape(i);
                    if (contribution.Shape != shape)
                    {
                        contribution = contribution.SumTo(shape);
                    }

                    int target = node.InputNode(i)!.Index;
                    cotangents[target] = cotangents[target] is { } sum ? sum + contribution : contribution;
                }

                // Interior cotangents are not needed once passed on, unless the caller asked for them; leaves keep theirs.
                if (keep is null || !keep[index])
                {
                    cotangents[index] = null;
                }
            }
        }
        finally
        {
            Level.IsActive = wasActive;
        }

        return cotangents;
    }

    private void ThrowIfDisposed(string op)
    {
        if (_disposed)
        {
            throw new ObjectDisposedException(nameof(Tape), $"{op}: the tape was disposed; record a new one with Tape.Record().");
        }
    }
}
