using System.Numerics;

namespace NeuralNet;

// Reductions over any set of axes, with or without the reduced axes kept as size 1.
public partial class Tensor
{
    /// <summary>The sum over <paramref name="axes"/> (all axes when null).</summary>
    /// <param name="axes">Axes to reduce; negative values count from the end; null reduces everything.</param>
    /// <param name="keepDims">Keep reduced axes as size 1 (so the result broadcasts against the input).</param>
    /// <remarks>Linear: the VJP broadcasts g back over the reduced axes; the JVP sums the tangent.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">An axis is out of range.</exception>
    /// <exception cref="ArgumentException">An axis is repeated.</exception>
    public Tensor Sum(int[]? axes = null, bool keepDims = false)
    {
        int[] normalized = OpChecks.Axes("Sum", Shape, axes);
        return Dispatcher.Apply(new SumOp(normalized, keepDims), this);
    }

    /// <summary>The sum over one axis.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range.</exception>
    public Tensor Sum(int axis, bool keepDims = false) => Sum([axis], keepDims);

    /// <summary>The arithmetic mean over <paramref name="axes"/> (all axes when null).</summary>
    /// <remarks>Sum divided by the number of reduced elements.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">An axis is out of range.</exception>
    /// <exception cref="ArgumentException">An axis is repeated.</exception>
    public Tensor Mean(int[]? axes = null, bool keepDims = false)
    {
        int[] normalized = OpChecks.Axes("Mean", Shape, axes);
        int count = 1;
        foreach (int axis in normalized)
        {
            count *= Shape.Dimensions[axis];
        }

        return Sum(normalized, keepDims) / count;
    }

    /// <summary>The mean over one axis.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range.</exception>
    public Tensor Mean(int axis, bool keepDims = false) => Mean([axis], keepDims);

    private static int[] ReducedShape(Shape shape, int[] axes, bool keepDims)
    {
        var dims = new List<int>(shape.Rank);
        for (int i = 0; i < shape.Rank; i++)
        {
            if (Array.IndexOf(axes, i) < 0)
            {
                dims.Add(shape.Dimensions[i]);
            }
            else if (keepDims)
            {
                dims.Add(1);
            }
        }

        return [.. dims];
    }

    private sealed class SumOp(int[] axes, bool keepDims) : LinearUnaryOp
    {
        public override string Name => "Sum";

        public override Tensor Forward(Tensor[] inputs)
        {
            Tensor kept = Reduction.Reduce(inputs[0], axes, default(SumKernel));
            return keepDims ? kept : new Tensor(kept.Data, ReducedShape(inputs[0].Shape, axes, keepDims: false));
        }

        public override Tensor? Vjp(int index, Tensor cotangent, Tensor[] inputs, Tensor output)
        {
            Shape input = inputs[0].Shape;
            Tensor kept = keepDims ? cotangent : cotangent.Reshape(ReducedShape(input, axes, keepDims: true));
            return kept.BroadcastTo(input);
        }
    }

    private readonly struct SumKernel : IReduceKernel
    {
        public T Identity<T>()
            where T : unmanaged, IBinaryFloatingPointIeee754<T> => T.Zero;

        public T Reduce<T>(ReadOnlySpan<T> x)
            where T : unmanaged, IBinaryFloatingPointIeee754<T> => TP.Sum(x);

        public void Fold<T>(ReadOnlySpan<T> x, Span<T> accumulator)
            where T : unmanaged, IBinaryFloatingPointIeee754<T> => TP.Add(accumulator, x, accumulator);
    }
}
