namespace NeuralNet;

// The indexer: NumPy's basic indexing (ints, ranges with a step, new axes, one ellipsis) as one strided-box op
// and a reshape that drops the int-indexed axes and inserts the new ones. The box op is linear: its VJP writes
// the cotangent into zeros of the input's shape (PyTorch's slice_backward), whose own VJP is the box again.
public partial class Tensor
{
    /// <summary>
    /// The part of the tensor the indices select, NumPy's and PyTorch's basic indexing in C# syntax: an
    /// <see cref="int"/> or <see cref="System.Index"/> picks one position and drops the axis (<c>x[0]</c> of a
    /// matrix is its first row, <c>x[^1]</c> the last); a <see cref="System.Range"/> keeps positions start..end−1
    /// (<c>x[.., 1..3]</c>), and <see cref="TensorIndex.Slice"/> adds a step; <see cref="TensorIndex.NewAxis"/>
    /// inserts an axis of size 1; <see cref="TensorIndex.Ellipsis"/> stands for the axes the others leave, and
    /// trailing axes without an index are whole. Differentiable in both modes, and to any order.
    /// </summary>
    /// <remarks>
    /// The result is always a copy (tensors here are contiguous; PyTorch returns a view of the same values), so it
    /// never follows later in-place updates of its source and writing through it is impossible. Range bounds past an axis's end are clamped, as in Python; a single position out of
    /// range throws. <see cref="Item"/> reads one number: <c>x[1, 2].Item()</c>.
    /// </remarks>
    /// <exception cref="ArgumentException">More indices than axes, or more than one ellipsis.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A single position is out of range for its axis.</exception>
    [System.Runtime.CompilerServices.IndexerName("Index")]
    public Tensor this[params TensorIndex[] indices]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(indices);
            var (window, shape) = Plan(indices);
            // Always a copy, even of everything: a result that sometimes aliased its source (a parameter, say) would
            // follow in-place updates only for some indices.
            Tensor box = Dispatcher.Apply(new StridedBoxOp(window), this);
            return box.Shape.Dimensions.SequenceEqual(shape) ? box : box.Reshape(shape);
        }
    }

    // Resolves the indices against this tensor's shape: the box per input axis, and the result's shape.
    private (StridedWindow Window, int[] Shape) Plan(TensorIndex[] indices)
    {
        const string op = "Index";
        int consumed = 0, ellipses = 0;
        foreach (TensorIndex index in indices)
        {
            switch (index.Kind)
            {
                case TensorIndexKind.Ellipsis: ellipses++; break;
                case TensorIndexKind.NewAxis: break;
                default: consumed++; break;
            }
        }

        if (ellipses > 1)
        {
            throw new ArgumentException($"{op}: [{string.Join(", ", indices)}] has {ellipses} ellipses; at most one is allowed (shape {Shape}).", nameof(indices));
        }

        if (consumed > Rank)
        {
            throw new ArgumentException($"{op}: [{string.Join(", ", indices)}] indexes {consumed} axes of a tensor of shape {Shape} ({Rank} axes).", nameof(indices));
        }

        int[] start = new int[Rank], step = new int[Rank], count = Shape.ToArray();
        Array.Fill(step, 1);
        var result = new List<int>(Rank + indices.Length);
        int axis = 0;
        foreach (TensorIndex index in indices)
        {
            switch (index.Kind)
            {
                case TensorIndexKind.NewAxis:
                    result.Add(1);
                    break;
                case TensorIndexKind.Ellipsis:
                    for (int whole = Rank - consumed; whole > 0; whole--, axis++)
                    {
                        result.Add(count[axis]);
                    }

                    break;
                case TensorIndexKind.Single:
                    int n = Shape.Dimensions[axis];
                    int position = index.Start.IsFromEnd ? n - index.Start.Value : index.Start.Value;
                    if (position < 0 || position >= n)
                    {
                        throw new ArgumentOutOfRangeException(
                            nameof(indices), $"{op}: index {index} is out of range for axis {axis} (size {n}) of shape {Shape}.");
                    }

                    (start[axis], count[axis]) = (position, 1);
                    axis++;
                    break;
                default:
                    int size = Shape.Dimensions[axis];
                    int first = Clamp(index.Start, size), end = Clamp(index.Stop, size);
                    (start[axis], step[axis]) = (first, index.Step);
                    count[axis] = end <= first ? 0 : ((end - first - 1) / index.Step) + 1;
                    result.Add(count[axis]);
                    axis++;
                    break;
            }
        }

        for (; axis < Rank; axis++)
        {
            result.Add(count[axis]);
        }

        return (new StridedWindow(start, step, count), [.. result]);
    }

    private static int Clamp(Index bound, int size) => Math.Clamp(bound.IsFromEnd ? size - bound.Value : bound.Value, 0, size);

    private sealed class StridedBoxOp(StridedWindow window) : LinearUnaryOp
    {
        public override string Name => "Index";

        public override Tensor Forward(Tensor[] inputs) => window.Gather(inputs[0]);

        public override Tensor? Vjp(int index, Tensor cotangent, Tensor[] inputs, Tensor output) =>
            Dispatcher.Apply(new StridedBoxBackwardOp(window, inputs[0].Shape), cotangent);
    }

    // The adjoint: the box's values written into zeros of the whole shape.
    private sealed class StridedBoxBackwardOp(StridedWindow window, Shape whole) : LinearUnaryOp
    {
        public override string Name => "IndexBackward";

        public override Tensor Forward(Tensor[] inputs) => window.Scatter(inputs[0], whole);

        public override Tensor? Vjp(int index, Tensor cotangent, Tensor[] inputs, Tensor output) =>
            Dispatcher.Apply(new StridedBoxOp(window), cotangent);
    }
}
