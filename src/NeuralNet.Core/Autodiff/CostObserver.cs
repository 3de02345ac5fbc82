namespace NeuralNet;

/// <summary>
/// Records every op the dispatcher runs on this thread while <see cref="Autodiff.Cost(Func{Tensor[], Tensor}, Tensor[])"/>
/// takes a report: its name, input and output shapes and dtypes, FLOPs and bytes (<see cref="CostModel"/>).
/// </summary>
/// <remarks>
/// Per thread, not per logical flow: a report follows the synchronous evaluation of f, and the dispatcher's check is
/// then one thread-static read, which is all the hook costs when no report is being taken.
/// </remarks>
internal sealed class CostObserver
{
    [ThreadStatic]
    private static CostObserver? t_current;

    private readonly List<CostRow> _rows = [];
    private readonly TangentScope _tangents;
    private int _tangentDepth;

    private CostObserver()
    {
        _tangents = new TangentScope(this);
    }

    /// <summary>The observer of this thread, or null when no report is being taken.</summary>
    public static CostObserver? Current => t_current;

    /// <summary>The evaluation now running.</summary>
    public CostPhase Phase { get; set; }

    /// <summary>The step of the ops now running, outside the dispatcher's JVP pushes (which are tangent ops).</summary>
    public CostStep Step { get; set; }

    /// <summary>The ops recorded so far, in the order they ran.</summary>
    public IReadOnlyList<CostRow> Rows => _rows;

    /// <summary>Runs <paramref name="evaluate"/> with a new observer on this thread and returns what it recorded.</summary>
    public static IReadOnlyList<CostRow> Observe(Action<CostObserver> evaluate)
    {
        CostObserver? previous = t_current;
        var observer = new CostObserver();
        t_current = observer;
        try
        {
            evaluate(observer);
        }
        finally
        {
            t_current = previous;
        }

        return observer.Rows;
    }

    /// <summary>Marks the ops run until the scope is disposed as tangent ops: the dispatcher's JVP push.</summary>
    public IDisposable Tangents()
    {
        _tangentDepth++;
        return _tangents;
    }

    /// <summary>Records one executed op. A custom op is skipped: its forward is made of dispatched ops, recorded themselves.</summary>
    public void Record(Op op, Tensor[] inputs, Tensor output)
    {
        if (op.IsComposite)
        {
            return;
        }

        var shapes = new Shape[inputs.Length];
        var dtypes = new DType[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            shapes[i] = inputs[i].Shape;
            dtypes[i] = inputs[i].DType;
        }

        CostStep step = _tangentDepth > 0 ? CostStep.Tangent : Step;
        _rows.Add(new CostRow(
            op.Name, Phase, step, shapes, dtypes, output.Shape, output.DType, CostModel.Flops(op, inputs, output), CostModel.Bytes(inputs, output)));
    }

    /// <summary>One instance per observer, so entering a tangent scope allocates nothing.</summary>
    private sealed class TangentScope(CostObserver observer) : IDisposable
    {
        public void Dispose() => observer._tangentDepth--;
    }
}
