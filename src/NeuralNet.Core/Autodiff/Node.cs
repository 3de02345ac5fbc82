namespace NeuralNet;

/// <summary>
/// One recorded op on a tape: the op, its inputs as they were seen at the tape's level, and its output.
/// A leaf node (no op) stands for a watched tensor or a parameter.
/// </summary>
internal sealed class Node
{
    public Node(Op? op, Tensor[] inputs, Tensor? source, int index)
    {
        Op = op;
        Inputs = inputs;
        Source = source;
        SourceVersion = (source as Parameter)?.Version ?? 0;
        Index = index;
    }

    /// <summary>The recorded op; null for a leaf.</summary>
    public Op? Op { get; }

    /// <summary>The op's inputs, possibly tracked at the tape's level.</summary>
    public Tensor[] Inputs { get; private set; }

    /// <summary>For a leaf: the watched tensor or parameter it stands for.</summary>
    public Tensor? Source { get; }

    /// <summary>For a parameter leaf: the parameter's version when it was recorded, to detect in-place updates since.</summary>
    public int SourceVersion { get; }

    /// <summary>Position on the tape; recording order is a topological order.</summary>
    public int Index { get; }

    /// <summary>The tracked output tensor this node produced.</summary>
    public Tensor Output { get; set; } = null!;

    /// <summary>Drops the references to the inputs, so that a disposed tape's graph can be collected while its outputs live on.</summary>
    public void Release() => Inputs = [];
}
