namespace NeuralNet;

/// <summary>
/// One recorded op on a tape: the op, an edge per input (the input's node on this tape, its shape and dtype),
/// and only the values its VJP rules read, each with the version of its storage when recorded. A leaf node (no
/// op) stands for a watched tensor or a parameter.
/// </summary>
/// <remarks>Nothing else is kept: an op that saves nothing (<c>Add</c>, reshapes, sums) keeps none of its inputs
/// or its output alive, as PyTorch's saved variables.</remarks>
internal sealed class Node
{
    private const int OutputIndex = -1;

    private Edge[] _edges;
    private Tensor? _savedOutput;
    private readonly int _outputVersion;

    /// <summary>A leaf for <paramref name="source"/>, a watched tensor or parameter.</summary>
    public Node(Tensor source, int index)
    {
        _edges = [];
        Source = source;
        Shape = source.Shape;
        DType = source.DType;
        Index = index;
    }

    /// <summary>
    /// A node for <paramref name="op"/> applied to <paramref name="inputs"/> (as seen at <paramref name="level"/>),
    /// giving <paramref name="output"/> (the value one level down).
    /// </summary>
    public Node(Op op, Tensor[] inputs, Tensor output, Level level, int index)
    {
        Op = op;
        Shape = output.Shape;
        DType = output.DType;
        Index = index;
        Needed = NeededFor(inputs, level);

        _edges = new Edge[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            Tensor input = inputs[i];
            Tensor? saved = op.SavesInput(i, Needed) ? input : null;
            _edges[i] = new Edge(Needed[i] ? input.Node : null, saved, saved?.Version ?? 0, input.Shape, input.DType);
        }

        if (op.SavesOutput(Needed))
        {
            _outputVersion = output.Version;
        }
    }

    /// <summary>The recorded op; null for a leaf.</summary>
    public Op? Op { get; }

    /// <summary>For a leaf: the watched tensor or parameter it stands for.</summary>
    public Tensor? Source { get; }

    /// <summary>Which inputs are recorded on this tape, so get cotangents.</summary>
    public bool[] Needed { get; } = [];

    /// <summary>The shape of the value this node stands for.</summary>
    public Shape Shape { get; }

    /// <summary>The dtype of the value this node stands for.</summary>
    public DType DType { get; }

    /// <summary>Position on the tape; recording order is a topological order.</summary>
    public int Index { get; }

    /// <summary>Whether a backward pass without retainGraph went through this node (a second one is refused).</summary>
    public bool Consumed { get; set; }

    /// <summary>The number of inputs.</summary>
    public int InputCount => _edges.Length;

    /// <summary>The node of input <paramref name="i"/> on this tape (null when it is a constant here).</summary>
    public Node? InputNode(int i) => _edges[i].Node;

    /// <summary>The shape of input <paramref name="i"/>.</summary>
    public Shape InputShape(int i) => _edges[i].Shape;

    /// <summary>Keeps the tracked output for the rules, when the op saves it (set once the output exists).</summary>
    public void SaveOutput(Tensor trackedOutput)
    {
        if (Op!.SavesOutput(Needed))
        {
            _savedOutput = trackedOutput;
        }
    }

    /// <summary>
    /// The inputs and output for the VJP rules, at <paramref name="level"/> (tracked, for a backward pass that is
    /// itself recorded) or one level below it; a value not saved is a shape-only stand-in.
    /// </summary>
    /// <exception cref="InvalidOperationException">A saved value was changed in place after it was recorded.</exception>
    public (Tensor[] Inputs, Tensor Output) Unpack(string caller, Level level, bool tracked)
    {
        var inputs = new Tensor[_edges.Length];
        for (int i = 0; i < _edges.Length; i++)
        {
            ref readonly Edge edge = ref _edges[i];
            inputs[i] = edge.Saved is { } saved
                ? At(Checked(caller, i, saved, edge.Version), level, tracked)
                : Tensor.ShapeOnly(edge.Shape, edge.DType);
        }

        Tensor output = _savedOutput is { } y
            ? At(Checked(caller, OutputIndex, y, _outputVersion), level, tracked)
            : Tensor.ShapeOnly(Shape, DType);
        return (inputs, output);
    }

    /// <summary>
    /// Which of <paramref name="inputs"/> are recorded at <paramref name="level"/>: for ops of up to three inputs, one
    /// of the shared arrays of each pattern, since nothing writes a node's flags and every recorded op would otherwise
    /// allocate its own.
    /// </summary>
    private static bool[] NeededFor(Tensor[] inputs, Level level)
    {
        int count = inputs.Length;
        if (count > 3)
        {
            var needed = new bool[count];
            for (int i = 0; i < count; i++)
            {
                needed[i] = inputs[i].Level == level;
            }

            return needed;
        }

        int pattern = 0;
        for (int i = 0; i < count; i++)
        {
            pattern |= inputs[i].Level == level ? 1 << i : 0;
        }

        return s_sharedNeeded[count][pattern];
    }

    // s_sharedNeeded[n][p]: the flags of n inputs where bit i of p says whether input i is needed.
    private static readonly bool[][][] s_sharedNeeded = [.. Enumerable.Range(0, 4).Select(
        n => Enumerable.Range(0, 1 << n).Select(p => Enumerable.Range(0, n).Select(i => (p & (1 << i)) != 0).ToArray()).ToArray())];

    /// <summary>Drops every reference to inputs and saved values, so that a disposed tape's graph can be collected.</summary>
    public void Release()
    {
        _edges = [];
        _savedOutput = null;
    }

    private static Tensor At(Tensor x, Level level, bool tracked) => tracked ? x : Dispatcher.PrimalAt(x, level);

    /// <summary>
    /// <paramref name="saved"/>, after checking that its storage is still at <paramref name="version"/>; the error names
    /// <paramref name="caller"/> and <paramref name="input"/>, the input's position or <see cref="OutputIndex"/>.
    /// </summary>
    private Tensor Checked(string caller, int input, Tensor saved, int version)
    {
        int now = saved.Version;
        if (now != version)
        {
            string what = input == OutputIndex ? "the output" : $"input {input}";
            throw new InvalidOperationException(
                $"{caller}: {Describe(saved)}, {what} of {Op!.Name}, was modified in place after the tape recorded it " +
                $"(version {version} then, {now} now), and {Op.Name}'s derivative needs its recorded value. " +
                "Run the backward pass before the update (Assign, AsSpan or an optimizer step), or record a new tape.");
        }

        return saved;
    }

    /// <summary>The saved tensor as a user knows it: the parameter at the bottom of its primal chain, or its shape.</summary>
    private static string Describe(Tensor saved)
    {
        Tensor bottom = saved;
        while (bottom.Primal is { } primal)
        {
            bottom = primal;
        }

        return bottom is Parameter parameter ? parameter.ToString()
            : saved.Storage?.Owner is { } owner ? $"a {saved.Shape} view of {owner}"
            : $"a {saved.Shape} {saved.DType} tensor";
    }

    /// <summary>One input as the node keeps it.</summary>
    private readonly record struct Edge(Node? Node, Tensor? Saved, int Version, Shape Shape, DType DType);
}
