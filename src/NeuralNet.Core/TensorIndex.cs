using System.Globalization;

namespace NeuralNet;

/// <summary>
/// One entry of a tensor indexer, NumPy's basic indexing in C# syntax (TorchSharp's <c>TensorIndex</c>):
/// <c>x[0]</c>, <c>x[^1]</c>, <c>x[.., 1..3]</c>, <c>x[TensorIndex.Ellipsis, 0]</c>, <c>x[TensorIndex.NewAxis]</c>,
/// <c>x[TensorIndex.Slice(0, null, 2)]</c>. Converts implicitly from <see cref="int"/>, <see cref="System.Index"/>
/// and <see cref="System.Range"/>.
/// </summary>
public readonly struct TensorIndex : IEquatable<TensorIndex>
{
    private TensorIndex(TensorIndexKind kind, Index start, Index stop, int step)
    {
        Kind = kind;
        Start = start;
        Stop = stop;
        Step = step;
    }

    /// <summary>Inserts an axis of size 1 (NumPy's <c>np.newaxis</c>, PyTorch's <c>None</c>).</summary>
    public static TensorIndex NewAxis { get; } = new(TensorIndexKind.NewAxis, default, default, 1);

    /// <summary>Stands for as many whole axes as the other entries leave (Python's <c>...</c>); at most one per indexer.</summary>
    public static TensorIndex Ellipsis { get; } = new(TensorIndexKind.Ellipsis, default, default, 1);

    /// <summary>What the entry does.</summary>
    public TensorIndexKind Kind { get; }

    /// <summary>The position of a <see cref="TensorIndexKind.Single"/> entry, or the first position of a slice.</summary>
    public Index Start { get; }

    /// <summary>The end (exclusive) of a slice.</summary>
    public Index Stop { get; }

    /// <summary>The step of a slice: 1 for a C# range, positive always.</summary>
    public int Step { get; }

    /// <summary>One position of an axis, which the result drops; a negative value counts from the end (as <c>^</c>).</summary>
    public static implicit operator TensorIndex(int index) => Single(index);

    /// <summary>One position of an axis, which the result drops; <c>^1</c> is the last.</summary>
    public static implicit operator TensorIndex(Index index) => new(TensorIndexKind.Single, index, default, 1);

    /// <summary>The positions <c>start..end</c> (end exclusive) of an axis; <c>..</c> is the whole axis.</summary>
    public static implicit operator TensorIndex(Range range) => new(TensorIndexKind.Slice, range.Start, range.End, 1);

    /// <summary>Compares two entries.</summary>
    public static bool operator ==(TensorIndex left, TensorIndex right) => left.Equals(right);

    /// <summary>Compares two entries.</summary>
    public static bool operator !=(TensorIndex left, TensorIndex right) => !left.Equals(right);

    /// <summary>One position of an axis; a negative value counts from the end.</summary>
    public static TensorIndex Single(int index) => new(TensorIndexKind.Single, FromPython(index), default, 1);

    /// <summary>
    /// Python's <c>start:stop:step</c>: every <paramref name="step"/>-th position from <paramref name="start"/> up to
    /// <paramref name="stop"/> (exclusive). Null means the axis's start or end; negative values count from the end;
    /// bounds past either end are clamped, as in Python.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is not positive (PyTorch has no negative steps).</exception>
    public static TensorIndex Slice(int? start = null, int? stop = null, int step = 1)
    {
        if (step <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(step), $"TensorIndex.Slice: step {step} must be positive.");
        }

        return new(TensorIndexKind.Slice, start is int s ? FromPython(s) : Index.Start, stop is int e ? FromPython(e) : Index.End, step);
    }

    /// <inheritdoc/>
    public bool Equals(TensorIndex other) => Kind == other.Kind && Start.Equals(other.Start) && Stop.Equals(other.Stop) && Step == other.Step;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is TensorIndex other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Kind, Start, Stop, Step);

    /// <summary>The entry in C# syntax: <c>2</c>, <c>^1</c>, <c>1..3</c>, <c>0..^0 step 2</c>, <c>NewAxis</c>, <c>...</c>.</summary>
    public override string ToString() => Kind switch
    {
        TensorIndexKind.Single => Start.ToString(),
        TensorIndexKind.Slice => Step == 1
            ? $"{Start}..{Stop}"
            : string.Create(CultureInfo.InvariantCulture, $"{Start}..{Stop} step {Step}"),
        TensorIndexKind.NewAxis => "NewAxis",
        _ => "...",
    };

    // −int.MinValue overflows; ^int.MaxValue is as far out of range (or, as a slice bound, clamps the same way).
    private static Index FromPython(int index) =>
        index == int.MinValue ? Index.FromEnd(int.MaxValue) : index < 0 ? Index.FromEnd(-index) : Index.FromStart(index);
}

/// <summary>The kinds of <see cref="TensorIndex"/> entry.</summary>
public enum TensorIndexKind
{
    /// <summary>One position; the axis is dropped.</summary>
    Single,

    /// <summary>A range of positions, with a step; the axis stays.</summary>
    Slice,

    /// <summary>A new axis of size 1.</summary>
    NewAxis,

    /// <summary>As many whole axes as the other entries leave.</summary>
    Ellipsis,
}
