using System.Numerics;

namespace NeuralNet;

// Reductions over any set of axes, with or without the reduced axes kept as size 1: Sum, Mean, Max, Min,
// Variance and StandardDeviation.
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

    /// <summary>The maximum over <paramref name="axes"/> (all axes when null).</summary>
    /// <param name="axes">Axes to reduce; negative values count from the end; null reduces everything.</param>
    /// <param name="keepDims">Keep reduced axes as size 1 (so the result broadcasts against the input).</param>
    /// <remarks>
    /// The gradient goes to the arg-max. Ties split it evenly: with the constant weights
    /// w = [x = max] / Σ[x = max] (summed over the axes, so each group of tied maxima shares 1), the VJP is
    /// broadcast(g)·w and the JVP is Σ(t·w) over the axes — the average of the tied elements' tangents, a
    /// subgradient where ties make Max non-differentiable. NaN propagates: a NaN in a group makes its max NaN
    /// and its gradient NaN.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">An axis is out of range.</exception>
    /// <exception cref="ArgumentException">An axis is repeated, or a reduced axis is empty (the max of nothing is undefined).</exception>
    public Tensor Max(int[]? axes = null, bool keepDims = false) => Extremum("Max", axes, keepDims, max: true);

    /// <summary>The maximum over one axis.</summary>
    /// <remarks>See <see cref="Max(int[], bool)"/>: ties split the gradient evenly.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range.</exception>
    /// <exception cref="ArgumentException">The axis is empty.</exception>
    public Tensor Max(int axis, bool keepDims = false) => Max([axis], keepDims);

    /// <summary>The minimum over <paramref name="axes"/> (all axes when null).</summary>
    /// <param name="axes">Axes to reduce; negative values count from the end; null reduces everything.</param>
    /// <param name="keepDims">Keep reduced axes as size 1 (so the result broadcasts against the input).</param>
    /// <remarks>
    /// The gradient goes to the arg-min; ties split it evenly, with w = [x = min] / Σ[x = min]: VJP broadcast(g)·w,
    /// JVP Σ(t·w) over the axes (as for <see cref="Max(int[], bool)"/>).
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">An axis is out of range.</exception>
    /// <exception cref="ArgumentException">An axis is repeated, or a reduced axis is empty.</exception>
    public Tensor Min(int[]? axes = null, bool keepDims = false) => Extremum("Min", axes, keepDims, max: false);

    /// <summary>The minimum over one axis.</summary>
    /// <remarks>See <see cref="Min(int[], bool)"/>: ties split the gradient evenly.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range.</exception>
    /// <exception cref="ArgumentException">The axis is empty.</exception>
    public Tensor Min(int axis, bool keepDims = false) => Min([axis], keepDims);

    /// <summary>
    /// The variance over <paramref name="axes"/> (all axes when null): Σ(x − mean)² / (N − <paramref name="correction"/>),
    /// N the number of reduced elements (PyTorch's <c>var(correction=)</c>).
    /// </summary>
    /// <param name="axes">Axes to reduce; negative values count from the end; null reduces everything.</param>
    /// <param name="keepDims">Keep reduced axes as size 1 (so the result broadcasts against the input).</param>
    /// <param name="correction">Subtracted from N in the divisor: 0 for the population variance, 1 for Bessel's correction.</param>
    /// <remarks>Composed of differentiable ops: ∂/∂xᵢ = 2(xᵢ − mean) / (N − correction).</remarks>
    /// <exception cref="ArgumentOutOfRangeException">An axis is out of range, <paramref name="correction"/> is negative, or N − correction ≤ 0.</exception>
    /// <exception cref="ArgumentException">An axis is repeated.</exception>
    public Tensor Variance(int[]? axes = null, bool keepDims = false, int correction = 0) =>
        VarianceOf("Variance", axes, keepDims, correction);

    /// <summary>The variance over one axis.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range, or the correction is invalid.</exception>
    public Tensor Variance(int axis, bool keepDims = false, int correction = 0) => Variance([axis], keepDims, correction);

    /// <summary>The standard deviation over <paramref name="axes"/> (all axes when null): √<see cref="Variance(int[], bool, int)"/>.</summary>
    /// <param name="axes">Axes to reduce; negative values count from the end; null reduces everything.</param>
    /// <param name="keepDims">Keep reduced axes as size 1 (so the result broadcasts against the input).</param>
    /// <param name="correction">Subtracted from N in the divisor: 0 for the population form, 1 for Bessel's correction.</param>
    /// <remarks>∂/∂xᵢ = (xᵢ − mean) / ((N − correction)·σ): infinite where σ = 0 (e.g. a constant slice).</remarks>
    /// <exception cref="ArgumentOutOfRangeException">An axis is out of range, <paramref name="correction"/> is negative, or N − correction ≤ 0.</exception>
    /// <exception cref="ArgumentException">An axis is repeated.</exception>
    public Tensor StandardDeviation(int[]? axes = null, bool keepDims = false, int correction = 0) =>
        VarianceOf("StandardDeviation", axes, keepDims, correction).Sqrt();

    /// <summary>The standard deviation over one axis.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range, or the correction is invalid.</exception>
    public Tensor StandardDeviation(int axis, bool keepDims = false, int correction = 0) =>
        StandardDeviation([axis], keepDims, correction);

    private Tensor Extremum(string op, int[]? axes, bool keepDims, bool max)
    {
        int[] normalized = OpChecks.Axes(op, Shape, axes);
        foreach (int axis in normalized)
        {
            if (Shape.Dimensions[axis] == 0)
            {
                throw new ArgumentException($"{op}: axis {axis} of shape {Shape} is empty; the {op.ToLowerInvariant()} of no elements is undefined.", nameof(axes));
            }
        }

        return Dispatcher.Apply(new ExtremumOp(op, normalized, keepDims, max), this);
    }

    private Tensor VarianceOf(string op, int[]? axes, bool keepDims, int correction)
    {
        int[] normalized = OpChecks.Axes(op, Shape, axes);
        int count = 1;
        foreach (int axis in normalized)
        {
            count *= Shape.Dimensions[axis];
        }

        if (correction < 0 || count - correction <= 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(correction),
                $"{op}: correction {correction} with {count} elements reduced over axes [{string.Join(",", normalized)}] of shape {Shape}: "
                + "the correction must be non-negative and less than the number of elements.");
        }

        Tensor deviation = this - Mean(normalized, keepDims: true);
        return deviation.Square().Sum(normalized, keepDims) / (count - correction);
    }

    private static Shape ReducedShape(Shape shape, int[] axes, bool keepDims)
    {
        // One exact array, owned by the shape: a bias gradient's Sum(0) runs this every step.
        var dims = new int[keepDims ? shape.Rank : shape.Rank - axes.Length];
        for (int i = 0, d = 0; i < shape.Rank; i++)
        {
            if (Array.IndexOf(axes, i) < 0)
            {
                dims[d++] = shape.Dimensions[i];
            }
            else if (keepDims)
            {
                dims[d++] = 1;
            }
        }

        return Shape.Own(dims);
    }

    private sealed class SumOp(int[] axes, bool keepDims) : LinearUnaryOp
    {
        public override string Name => "Sum";

        public override Tensor Forward(Tensor[] inputs)
        {
            Tensor kept = Reducer.Reduce(inputs[0], axes, default(SumKernel));
            return keepDims ? kept : kept.WithShape(ReducedShape(inputs[0].Shape, axes, keepDims: false));
        }

        public override bool ForwardInto(Tensor[] inputs, Tensor output) => Reducer.ReduceInto(inputs[0], axes, default(SumKernel), output);

        public override Tensor? Vjp(int index, Tensor cotangent, Tensor[] inputs, Tensor output)
        {
            Shape input = inputs[0].Shape;
            Tensor kept = keepDims ? cotangent : cotangent.Reshape(ReducedShape(input, axes, keepDims: true));
            return kept.BroadcastTo(input);
        }
    }

    private sealed class ExtremumOp(string name, int[] axes, bool keepDims, bool max) : Op
    {
        public override string Name => name;

        public override Tensor Forward(Tensor[] inputs)
        {
            Tensor kept = max
                ? Reducer.Reduce(inputs[0], axes, default(MaxReduceKernel))
                : Reducer.Reduce(inputs[0], axes, default(MinReduceKernel));
            return keepDims ? kept : kept.WithShape(ReducedShape(inputs[0].Shape, axes, keepDims: false));
        }

        public override Tensor? Vjp(int index, Tensor cotangent, Tensor[] inputs, Tensor output)
        {
            Shape input = inputs[0].Shape;
            Tensor kept = keepDims ? cotangent : cotangent.Reshape(ReducedShape(input, axes, keepDims: true));
            return kept * Weights(inputs[0], output);
        }

        public override Tensor? Jvp(int index, Tensor tangent, Tensor[] inputs, Tensor output) =>
            (tangent * Weights(inputs[0], output)).Sum(axes, keepDims);

        // [x = extremum] / Σ[x = extremum]: a constant, since the arg-max does not move under a small perturbation.
        private Tensor Weights(Tensor x, Tensor output)
        {
            var extremum = output.WithShape(ReducedShape(x.Shape, axes, keepDims: true));
            Tensor mask = Masks.Equal(x.AsConstant(), extremum);
            return mask / mask.Sum(axes, keepDims: true);
        }
    }

    private readonly struct MaxReduceKernel : IReduceKernel
    {
        public T Identity<T>()
            where T : unmanaged, IBinaryFloatingPointIeee754<T> => T.NegativeInfinity;

        public T Reduce<T>(ReadOnlySpan<T> x)
            where T : unmanaged, IBinaryFloatingPointIeee754<T> => TP.Max(x);

        public void Fold<T>(ReadOnlySpan<T> x, Span<T> accumulator)
            where T : unmanaged, IBinaryFloatingPointIeee754<T> => TP.Max(accumulator, x, accumulator);
    }

    private readonly struct MinReduceKernel : IReduceKernel
    {
        public T Identity<T>()
            where T : unmanaged, IBinaryFloatingPointIeee754<T> => T.PositiveInfinity;

        public T Reduce<T>(ReadOnlySpan<T> x)
            where T : unmanaged, IBinaryFloatingPointIeee754<T> => TP.Min(x);

        public void Fold<T>(ReadOnlySpan<T> x, Span<T> accumulator)
            where T : unmanaged, IBinaryFloatingPointIeee754<T> => TP.Min(accumulator, x, accumulator);
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
