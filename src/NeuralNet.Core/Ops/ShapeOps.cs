namespace NeuralNet;

// Ops that change the shape or layout of a tensor: all linear, so only their VJPs are written.
public partial class Tensor
{
    /// <summary>The same elements in a new shape, in row-major order. One dimension may be −1: it is inferred.</summary>
    /// <remarks>Linear: the VJP reshapes g back.</remarks>
    /// <exception cref="ArgumentException">The sizes differ, or more than one dimension is −1.</exception>
    public Tensor Reshape(params int[] shape)
    {
        Shape target = InferShape(shape);
        return target == Shape ? this : Dispatcher.Apply(new ReshapeOp(target), this);
    }

    /// <summary>The same elements in a new shape.</summary>
    /// <exception cref="ArgumentException">The sizes differ.</exception>
    public Tensor Reshape(Shape shape) => Reshape(shape.ToArray());

    /// <summary>
    /// The tensor without the size-1 axes <paramref name="axes"/>, or without every size-1 axis when none are named.
    /// </summary>
    /// <param name="axes">Axes to remove, each of size 1; negative values count from the end.</param>
    /// <remarks>A reshape, so linear: the VJP reshapes g back. Unlike PyTorch, naming an axis whose size is not 1 is
    /// an error rather than a silent no-op.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">An axis is out of range.</exception>
    /// <exception cref="ArgumentException">A named axis does not have size 1, or is repeated.</exception>
    public Tensor Squeeze(params int[] axes)
    {
        const string op = "Squeeze";
        ArgumentNullException.ThrowIfNull(axes);
        int[] removed = OpChecks.Axes(op, Shape, axes);
        foreach (int axis in removed)
        {
            if (Shape.Dimensions[axis] != 1)
            {
                throw new ArgumentException($"{op}: axis {axis} of shape {Shape} has size {Shape.Dimensions[axis]}, not 1.", nameof(axes));
            }
        }

        var dims = new List<int>(Rank);
        for (int i = 0; i < Rank; i++)
        {
            bool remove = axes.Length == 0 ? Shape.Dimensions[i] == 1 : Array.IndexOf(removed, i) >= 0;
            if (!remove)
            {
                dims.Add(Shape.Dimensions[i]);
            }
        }

        return Reshape(new Shape([.. dims]));
    }

    /// <summary>The tensor with a new axis of size 1 inserted at <paramref name="axis"/>.</summary>
    /// <param name="axis">The new axis's position in the result, 0..rank; negative values count from the end of the
    /// result (−1 appends).</param>
    /// <remarks>A reshape, so linear: the VJP reshapes g back.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The axis is outside −(rank+1)..rank.</exception>
    public Tensor Unsqueeze(int axis)
    {
        int position = axis < 0 ? axis + Rank + 1 : axis;
        if (position < 0 || position > Rank)
        {
            throw new ArgumentOutOfRangeException(nameof(axis), $"Unsqueeze: axis {axis} is out of range for shape {Shape} (rank {Rank}).");
        }

        int[] dims = [.. Shape.Dimensions[..position], 1, .. Shape.Dimensions[position..]];
        return Reshape(new Shape(dims));
    }

    /// <summary>The transpose of a matrix (rank 2).</summary>
    /// <remarks>Linear: the VJP transposes g.</remarks>
    /// <exception cref="ArgumentException">The tensor is not rank 2.</exception>
    public Tensor Transpose()
    {
        if (Rank != 2)
        {
            throw new ArgumentException($"Transpose: expects a matrix; the input has shape {Shape}. Use Permute for other ranks.");
        }

        return Permute(1, 0);
    }

    /// <summary>Reorders the axes: axis i of the result is axis <paramref name="axes"/>[i] of the input.</summary>
    /// <remarks>Linear: the VJP applies the inverse permutation to g.</remarks>
    /// <exception cref="ArgumentException"><paramref name="axes"/> is not a permutation of 0..rank−1.</exception>
    public Tensor Permute(params int[] axes)
    {
        if (axes.Length != Rank)
        {
            throw new ArgumentException($"Permute: {axes.Length} axes [{string.Join(",", axes)}] for shape {Shape}.", nameof(axes));
        }

        // Validates that the axes are in range and distinct, so they form a permutation.
        OpChecks.Axes("Permute", Shape, axes);
        var permutation = new int[Rank];
        for (int i = 0; i < Rank; i++)
        {
            permutation[i] = axes[i] < 0 ? axes[i] + Rank : axes[i];
        }

        bool identity = true;
        for (int i = 0; i < Rank; i++)
        {
            identity &= permutation[i] == i;
        }

        return identity ? this : Dispatcher.Apply(new PermuteOp(permutation), this);
    }

    /// <summary>The tensor repeated along axes of size 1 (and new leading axes) to <paramref name="shape"/>, under NumPy's rules.</summary>
    /// <remarks>Linear: the VJP sums g over the broadcast axes (<see cref="SumTo"/>).</remarks>
    /// <exception cref="ArgumentException">The tensor does not broadcast to <paramref name="shape"/>.</exception>
    public Tensor BroadcastTo(Shape shape)
    {
        if (Shape.Broadcast(Shape, shape, "BroadcastTo") != shape)
        {
            throw new ArgumentException($"BroadcastTo: {Shape} does not broadcast to {shape}.", nameof(shape));
        }

        return shape == Shape ? this : Dispatcher.Apply(new BroadcastToOp(shape), this);
    }

    /// <summary>
    /// Sums over the axes that broadcasting would add or expand to go from <paramref name="shape"/> to this
    /// tensor's shape: the adjoint of <see cref="BroadcastTo"/> (PyTorch's <c>sum_to_size</c>).
    /// </summary>
    /// <remarks>Linear: the VJP broadcasts g back to the input's shape.</remarks>
    /// <exception cref="ArgumentException"><paramref name="shape"/> does not broadcast to this tensor's shape.</exception>
    public Tensor SumTo(Shape shape)
    {
        if (shape == Shape)
        {
            return this;
        }

        if (shape.Rank > Rank || Shape.Broadcast(shape, Shape, "SumTo") != Shape)
        {
            throw new ArgumentException($"SumTo: {Shape} cannot be summed to {shape}: {shape} does not broadcast to {Shape}.", nameof(shape));
        }

        int lead = Rank - shape.Rank;
        var axes = new List<int>();
        for (int i = 0; i < Rank; i++)
        {
            if (i < lead || (shape.Dimensions[i - lead] == 1 && Shape.Dimensions[i] != 1))
            {
                axes.Add(i);
            }
        }

        return Sum([.. axes], keepDims: true).Reshape(shape);
    }

    private Shape InferShape(int[] shape)
    {
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] == -1 && inferred < 0)
            {
                inferred = i;
            }
            else if (shape[i] < 0)
            {
                throw new ArgumentException($"Reshape: {Shape} to [{string.Join(",", shape)}]: only one dimension may be -1 and none may be negative.", nameof(shape));
            }
            else
            {
                known *= shape[i];
            }
        }

        int[] dims = (int[])shape.Clone();
        if (inferred >= 0)
        {
            if (known == 0 || Size % known != 0)
            {
                throw new ArgumentException($"Reshape: {Shape} ({Size} elements) cannot be viewed as [{string.Join(",", shape)}].", nameof(shape));
            }

            dims[inferred] = (int)(Size / known);
        }
        else if (known != Size)
        {
            throw new ArgumentException($"Reshape: {Shape} ({Size} elements) cannot be viewed as [{string.Join(",", shape)}] ({known} elements).", nameof(shape));
        }

        return new Shape(dims);
    }

    private sealed class ReshapeOp(Shape shape) : LinearUnaryOp
    {
        public override string Name => "Reshape";

        // Values are immutable, so the reshaped tensor shares the storage.
        public override Tensor Forward(Tensor[] inputs) => inputs[0].WithShape(shape);

        public override Tensor? Vjp(int index, Tensor cotangent, Tensor[] inputs, Tensor output) =>
            cotangent.Reshape(inputs[0].Shape);
    }

    private sealed class PermuteOp(int[] permutation) : LinearUnaryOp
    {
        public override string Name => "Permute";

        public override Tensor Forward(Tensor[] inputs) => Layout.Permute(inputs[0], permutation);

        public override Tensor? Vjp(int index, Tensor cotangent, Tensor[] inputs, Tensor output)
        {
            var inverse = new int[permutation.Length];
            for (int i = 0; i < permutation.Length; i++)
            {
                inverse[permutation[i]] = i;
            }

            return cotangent.Permute(inverse);
        }
    }

    private sealed class BroadcastToOp(Shape shape) : LinearUnaryOp
    {
        public override string Name => "BroadcastTo";

        public override Tensor Forward(Tensor[] inputs) => Layout.BroadcastTo(inputs[0], shape);

        // The plan of a replayed broadcast, made by the first replay: the input's shape is the captured one every time
        // (one value, a mean's cotangent, makes a plan of one row that is a fill).
        private BroadcastPlan? _plan;

        public override bool ForwardInto(Tensor[] inputs, Tensor output)
        {
            Layout.ExpandInto(inputs[0], _plan ??= new BroadcastPlan(inputs[0].Shape, shape, shape), output);
            return true;
        }

        public override Tensor? Vjp(int index, Tensor cotangent, Tensor[] inputs, Tensor output) =>
            cotangent.SumTo(inputs[0].Shape);
    }
}
