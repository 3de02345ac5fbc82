namespace NeuralNet;

// Ops that take parts of a tensor along one axis or join tensors along one: Slice and its adjoint Pad, Gather
// and its adjoint ScatterAdd, Concatenate and Stack. All are linear; each VJP is the adjoint op, itself
// differentiable, so derivatives of any order nest.
public partial class Tensor
{
    /// <summary>
    /// The <paramref name="length"/> positions of <paramref name="axis"/> starting at <paramref name="start"/>
    /// (PyTorch's <c>narrow</c>; <c>x[..., start:start+length, ...]</c>), with the other axes whole.
    /// </summary>
    /// <param name="axis">The axis to slice; negative values count from the end.</param>
    /// <param name="start">The first position; a negative value counts from the end of the axis.</param>
    /// <param name="length">How many positions to keep; 0 gives an empty axis.</param>
    /// <remarks>Linear: the VJP pads g with zeros back to the input's shape; the JVP slices the tangent.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range, or start..start+length−1 does not lie
    /// within the axis.</exception>
    public Tensor Slice(int axis, int start, int length)
    {
        const string op = "Slice";
        int a = NormalizeAxis(op, axis, Rank, Shape);
        int n = Shape.Dimensions[a];
        int first = start < 0 ? start + n : start;
        if (first < 0 || first > n || length < 0 || length > n - first)
        {
            throw new ArgumentOutOfRangeException(
                nameof(start), $"{op}: start {start} and length {length} do not lie within axis {axis} (size {n}) of shape {Shape}.");
        }

        return length == n ? this : Dispatcher.Apply(new SliceOp(a, first, length), this);
    }

    /// <summary>
    /// The positions <paramref name="indices"/> of <paramref name="axis"/>, in that order (PyTorch's
    /// <c>index_select</c>, NumPy's <c>take</c>): result[..., k, ...] = x[..., indices[k], ...]. Picks the rows of a
    /// mini-batch; an index may repeat.
    /// </summary>
    /// <param name="indices">Positions along the axis; negative values count from the end. The array is copied.</param>
    /// <param name="axis">The axis to gather along; negative values count from the end.</param>
    /// <remarks>Linear: the VJP scatter-adds g back into zeros of the input's shape (a repeated index receives
    /// the sum of its rows' cotangents); the JVP gathers the tangent.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The axis or an index is out of range.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="indices"/> is null.</exception>
    public Tensor Gather(int[] indices, int axis = 0)
    {
        const string op = "Gather";
        ArgumentNullException.ThrowIfNull(indices);
        int a = NormalizeAxis(op, axis, Rank, Shape);
        int n = Shape.Dimensions[a];
        var normalized = new int[indices.Length];
        for (int k = 0; k < indices.Length; k++)
        {
            int index = indices[k] < 0 ? indices[k] + n : indices[k];
            if (index < 0 || index >= n)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(indices), $"{op}: index {indices[k]} (at position {k}) is out of range for axis {axis} (size {n}) of shape {Shape}.");
            }

            normalized[k] = index;
        }

        return Dispatcher.Apply(new GatherOp(a, normalized), this);
    }

    /// <summary>
    /// The tensors joined along <paramref name="axis"/> (PyTorch's <c>cat</c>): they must have one rank (at least 1)
    /// and equal sizes on every other axis, and join in their <see cref="ResultType"/>.
    /// </summary>
    /// <param name="tensors">The tensors, in order; at least one.</param>
    /// <param name="axis">The axis to join along; negative values count from the end.</param>
    /// <remarks>Linear in each input: the VJP for input i slices its part out of g; the JVP places input i's tangent
    /// in its part and zeros elsewhere.</remarks>
    /// <exception cref="ArgumentException">The list is empty, a tensor is a scalar, or the ranks or other
    /// sizes differ.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range.</exception>
    /// <exception cref="ArgumentNullException">The list or one of its tensors is null.</exception>
    public static Tensor Concatenate(IReadOnlyList<Tensor> tensors, int axis = 0)
    {
        const string op = "Concatenate";
        Tensor[] xs = CheckJoin(op, tensors, sameShape: false);
        int a = NormalizeAxis(op, axis, xs[0].Rank, xs[0].Shape);
        for (int i = 1; i < xs.Length; i++)
        {
            for (int d = 0; d < xs[0].Rank; d++)
            {
                if (d != a && xs[i].Shape.Dimensions[d] != xs[0].Shape.Dimensions[d])
                {
                    throw new ArgumentException(
                        $"{op}: along axis {axis}, tensor {i} has shape {xs[i].Shape} but tensor 0 has shape {xs[0].Shape}; they must agree on axis {d}.",
                        nameof(tensors));
                }
            }
        }

        long joined = xs.Sum(x => (long)x.Shape.Dimensions[a]);
        if (joined > int.MaxValue)
        {
            throw new ArgumentException(
                $"{op}: along axis {axis}, the {xs.Length} tensors' dimensions add up to {joined}, more than a dimension can hold ({int.MaxValue}).",
                nameof(tensors));
        }

        return xs.Length == 1 ? xs[0] : Dispatcher.Apply(new ConcatenateOp(a), xs);
    }

    /// <summary>
    /// The tensors stacked along a new axis at <paramref name="axis"/> (PyTorch's <c>stack</c>): n tensors of shape
    /// s give one of shape s with n inserted at <paramref name="axis"/>. They must have one shape,
    /// and join in their <see cref="ResultType"/>.
    /// </summary>
    /// <param name="tensors">The tensors, in order; at least one.</param>
    /// <param name="axis">Where the new axis goes, in 0..rank; negative values count from the end of the result.</param>
    /// <remarks>Composed as <see cref="Unsqueeze"/> of each and <see cref="Concatenate"/>; the VJP slices g apart.</remarks>
    /// <exception cref="ArgumentException">The list is empty, or the shapes differ.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range.</exception>
    /// <exception cref="ArgumentNullException">The list or one of its tensors is null.</exception>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, int axis = 0)
    {
        const string op = "Stack";
        Tensor[] xs = CheckJoin(op, tensors, sameShape: true);
        int rank = xs[0].Rank + 1;
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank)
        {
            throw new ArgumentOutOfRangeException(
                nameof(axis), $"{op}: axis {axis} is out of range for stacking tensors of shape {xs[0].Shape} (axes {-rank}..{rank - 1}).");
        }

        return Concatenate([.. xs.Select(x => x.Unsqueeze(a))], a);
    }

    /// <summary>
    /// Zeros with <paramref name="axis"/> of size <paramref name="size"/> and this tensor at positions
    /// before..before+n−1 of it: the adjoint of <see cref="Slice"/>.
    /// </summary>
    /// <remarks>Linear: the VJP slices g; the JVP pads the tangent.</remarks>
    internal Tensor Pad(int axis, int before, int size)
    {
        int a = NormalizeAxis("Pad", axis, Rank, Shape);
        int n = Shape.Dimensions[a];
        if (before < 0 || size - n < before)
        {
            throw new ArgumentOutOfRangeException(
                nameof(before), $"Pad: {n} positions of axis {axis} of shape {Shape} do not fit at {before} in size {size}.");
        }

        return n == size ? this : Dispatcher.Apply(new PadOp(a, before, size), this);
    }

    /// <summary>
    /// Zeros with <paramref name="axis"/> of size <paramref name="size"/>, into which position k of this tensor's
    /// axis is added at <paramref name="indices"/>[k] (normalized); repeats accumulate. The adjoint of <see cref="Gather"/>.
    /// </summary>
    /// <remarks>Linear: the VJP gathers g; the JVP scatter-adds the tangent.</remarks>
    internal Tensor ScatterAdd(int[] indices, int axis, int size)
    {
        int a = NormalizeAxis("ScatterAdd", axis, Rank, Shape);
        if (indices.Length != Shape.Dimensions[a] || indices.Any(k => k < 0 || k >= size))
        {
            throw new ArgumentOutOfRangeException(
                nameof(indices), $"ScatterAdd: indices [{string.Join(",", indices)}] do not map axis {axis} of shape {Shape} into size {size}.");
        }

        return Dispatcher.Apply(new ScatterAddOp(a, indices, size), this);
    }

    /// <summary>
    /// Normalizes an axis of 0..rank−1 (negative values count from the end); the error names the op, the axis and
    /// <paramref name="shape"/>, the shape it refers to.
    /// </summary>
    private static int NormalizeAxis(string op, int axis, int rank, Shape shape)
    {
        int normalized = axis < 0 ? axis + rank : axis;
        if (normalized < 0 || normalized >= rank)
        {
            throw new ArgumentOutOfRangeException(nameof(axis), $"{op}: axis {axis} is out of range for shape {shape} (axes {-rank}..{rank - 1}).");
        }

        return normalized;
    }

    /// <summary>Checks the tensors of a join: at least one, not null, no scalar, one rank (and shape); returns them in their result dtype.</summary>
    private static Tensor[] CheckJoin(string op, IReadOnlyList<Tensor> tensors, bool sameShape)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0)
        {
            throw new ArgumentException($"{op}: expects at least one tensor; the list is empty.", nameof(tensors));
        }

        var xs = new Tensor[tensors.Count];
        for (int i = 0; i < xs.Length; i++)
        {
            xs[i] = tensors[i] ?? throw new ArgumentNullException(nameof(tensors), $"{op}: tensor {i} is null.");
            if (!sameShape && xs[i].Rank == 0)
            {
                throw new ArgumentException($"{op}: tensor {i} is a scalar (shape []); only tensors of rank 1 or more join along an axis.", nameof(tensors));
            }

            if (sameShape ? xs[i].Shape != xs[0].Shape : xs[i].Rank != xs[0].Rank)
            {
                throw new ArgumentException(
                    $"{op}: tensor {i} has shape {xs[i].Shape} but tensor 0 has shape {xs[0].Shape}; {(sameShape ? "the shapes" : "the ranks")} must be equal.",
                    nameof(tensors));
            }
        }

        // torch.cat and torch.stack promote: every input joins in the list's result dtype.
        DType dtype = ResultType(xs);
        for (int i = 0; i < xs.Length; i++)
        {
            xs[i] = Promote(xs[i], dtype);
        }

        return xs;
    }

    private sealed class SliceOp(int axis, int start, int length) : LinearUnaryOp
    {
        public override string Name => "Slice";

        public override Tensor Forward(Tensor[] inputs) => Layout.Narrow(inputs[0], axis, start, length);

        public override Tensor? Vjp(int index, Tensor cotangent, Tensor[] inputs, Tensor output) =>
            cotangent.Pad(axis, start, inputs[0].Shape.Dimensions[axis]);
    }

    private sealed class PadOp(int axis, int before, int size) : LinearUnaryOp
    {
        public override string Name => "Pad";

        public override Tensor Forward(Tensor[] inputs) => Layout.Pad(inputs[0], axis, before, size);

        public override Tensor? Vjp(int index, Tensor cotangent, Tensor[] inputs, Tensor output) =>
            cotangent.Slice(axis, before, inputs[0].Shape.Dimensions[axis]);
    }

    private sealed class GatherOp(int axis, int[] indices) : LinearUnaryOp
    {
        public override string Name => "Gather";

        public override Tensor Forward(Tensor[] inputs) => Layout.Select(inputs[0], axis, indices);

        public override Tensor? Vjp(int index, Tensor cotangent, Tensor[] inputs, Tensor output) =>
            cotangent.ScatterAdd(indices, axis, inputs[0].Shape.Dimensions[axis]);
    }

    private sealed class ScatterAddOp(int axis, int[] indices, int size) : LinearUnaryOp
    {
        public override string Name => "ScatterAdd";

        public override Tensor Forward(Tensor[] inputs) => Layout.ScatterAdd(inputs[0], axis, indices, size);

        public override Tensor? Vjp(int index, Tensor cotangent, Tensor[] inputs, Tensor output) => cotangent.Gather(indices, axis);
    }

    /// <summary>Joins its inputs along an axis; input i occupies positions offset(i)..offset(i)+nᵢ−1 of it.</summary>
    private sealed class ConcatenateOp(int axis) : Op
    {
        public override string Name => "Concatenate";

        // The rules slice and pad by the inputs' shapes only.
        public override bool SavesInput(int index, bool[] needed) => false;

        public override bool SavesOutput(bool[] needed) => false;

        public override Tensor Forward(Tensor[] inputs) => Layout.Concatenate(inputs, axis);

        public override Tensor? Vjp(int index, Tensor cotangent, Tensor[] inputs, Tensor output) =>
            cotangent.Slice(axis, Offset(index, inputs), inputs[index].Shape.Dimensions[axis]);

        // Linear in each input: its tangent in its own part, zeros in the others.
        public override Tensor? Jvp(int index, Tensor tangent, Tensor[] inputs, Tensor output) =>
            tangent.Pad(axis, Offset(index, inputs), output.Shape.Dimensions[axis]);

        // All at once: the concatenation of the tangents (zeros where an input has none), one output-sized tensor.
        public override Tensor? Jvps(Tensor?[] tangents, Tensor[] inputs, Tensor output)
        {
            var parts = new Tensor[inputs.Length];
            for (int i = 0; i < inputs.Length; i++)
            {
                parts[i] = tangents[i] ?? ZerosLike(inputs[i]);
            }

            return Concatenate(parts, axis);
        }

        private int Offset(int index, Tensor[] inputs)
        {
            int offset = 0;
            for (int i = 0; i < index; i++)
            {
                offset += inputs[i].Shape.Dimensions[axis];
            }

            return offset;
        }
    }
}
