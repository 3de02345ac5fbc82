using System.Numerics;

namespace NeuralNet;

// Ops that choose between values element-wise: maximum, minimum, clamp and where. Their derivatives route the
// cotangent to the chosen input through constant 0/1 masks; ties between maximum's inputs split it evenly.
public partial class Tensor
{
    /// <summary>Element-wise max(a, b), with broadcasting (NaN if either is NaN).</summary>
    /// <remarks>∂/∂a = 1 where a &gt; b, ½ where a = b, else 0 (ties split the gradient, as PyTorch); ∂/∂b likewise.</remarks>
    /// <exception cref="ArgumentException">The shapes do not broadcast.</exception>
    public static Tensor Maximum(Tensor a, Tensor b)
    {
        (a, b) = OpChecks.Binary("Maximum", a, b);
        return Dispatcher.Apply(MaximumOp.Max, a, b);
    }

    /// <summary>Element-wise min(a, b), with broadcasting (NaN if either is NaN).</summary>
    /// <remarks>∂/∂a = 1 where a &lt; b, ½ where a = b, else 0; ∂/∂b likewise.</remarks>
    /// <exception cref="ArgumentException">The shapes do not broadcast.</exception>
    public static Tensor Minimum(Tensor a, Tensor b)
    {
        (a, b) = OpChecks.Binary("Minimum", a, b);
        return Dispatcher.Apply(MaximumOp.Min, a, b);
    }

    /// <summary>Element-wise clamp of x into [<paramref name="min"/>, <paramref name="max"/>].</summary>
    /// <remarks>f′(x) = 1 strictly inside the interval, 0 outside (and at the bounds).</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="min"/> is above <paramref name="max"/>, or either is NaN.</exception>
    public Tensor Clamp(double min, double max)
    {
        if (!(min <= max))
        {
            throw new ArgumentOutOfRangeException(nameof(min), $"Clamp: min {min} must not exceed max {max} (input {Shape}).");
        }

        return Dispatcher.Apply(new ClampOp(min, max), this);
    }

    /// <summary>
    /// Element-wise choice: <paramref name="a"/> where <paramref name="condition"/> is non-zero, else
    /// <paramref name="b"/>; all three broadcast (NumPy's <c>where</c>).
    /// </summary>
    /// <param name="condition">A mask (any non-zero value is true); no gradient flows into it.</param>
    /// <param name="a">Values where the condition holds.</param>
    /// <param name="b">Values elsewhere.</param>
    /// <remarks>∂/∂a = [condition], ∂/∂b = 1 − [condition].</remarks>
    /// <exception cref="ArgumentException">The shapes do not broadcast.</exception>
    public static Tensor Where(Tensor condition, Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(condition);
        (a, b) = OpChecks.Binary("Where", a, b);
        Shape.Broadcast(condition.Shape, Shape.Broadcast(a.Shape, b.Shape), "Where");
        Tensor mask = Masks.NonZero(condition).To(a.DType);   // a mask of the condition's own dtype: 1e-50 is true
        return Dispatcher.Apply(new WhereOp(mask), a, b);
    }

    /// <summary>Element-wise xʸ with a tensor exponent, with broadcasting; both inputs are differentiable.</summary>
    /// <remarks>∂/∂x = y·xʸ⁻¹, ∂/∂y = log(x)·xʸ (defined for x &gt; 0).</remarks>
    /// <exception cref="ArgumentException">The shapes do not broadcast.</exception>
    public Tensor Pow(Tensor exponent)
    {
        var (x, y) = OpChecks.Binary("Pow", this, exponent);
        return Dispatcher.Apply(PowOp.Instance, x, y);
    }

    private sealed class MaximumOp(bool isMax) : Op
    {
        public static readonly MaximumOp Max = new(isMax: true);
        public static readonly MaximumOp Min = new(isMax: false);

        public override string Name => isMax ? "Maximum" : "Minimum";

        public override bool SavesOutput(bool[] needed) => false;

        public override Tensor Forward(Tensor[] inputs) =>
            isMax ? Elementwise.Zip(inputs[0], inputs[1], default(MaxKernel)) : Elementwise.Zip(inputs[0], inputs[1], default(MinKernel));

        public override Tensor? Vjp(int index, Tensor cotangent, Tensor[] inputs, Tensor output) => cotangent * Share(index, inputs);

        public override Tensor? Jvp(int index, Tensor tangent, Tensor[] inputs, Tensor output) => tangent * Share(index, inputs);

        // The share of the output that input `index` is: 1 where it wins, ½ on ties, 0 where it loses.
        private Tensor Share(int index, Tensor[] inputs)
        {
            Tensor self = inputs[index], other = inputs[1 - index];
            Tensor wins = isMax ? Masks.Greater(self, other) : Masks.Greater(other, self);
            Tensor ties = Masks.Equal(self, other);
            return Elementwise.Zip(ties, Scalar(0.5, self.DType), default(MultiplyKernel)).Plus(wins);
        }
    }

    private sealed class ClampOp(double min, double max) : ElementwiseUnaryOp(DerivativeReads.Input)
    {
        public override string Name => "Clamp";

        public override Tensor Forward(Tensor[] inputs) => Elementwise.Map(inputs[0], new ClampKernel(min, max));

        // 1 strictly inside (min, max): [x > min]·[max > x].
        protected override Tensor? Derivative(Tensor x, Tensor y) =>
            Masks.Greater(x, Scalar(min, x.DType)).Times(Masks.Greater(Scalar(max, x.DType), x));
    }

    private sealed class WhereOp(Tensor mask) : Op
    {
        public override string Name => "Where";

        // The mask is part of the op; the rules route cotangents by it without reading the inputs.
        public override bool SavesInput(int index, bool[] needed) => false;

        public override bool SavesOutput(bool[] needed) => false;

        // a·m + b·(1 − m) would turn 0·∞ into NaN; selecting keeps each value exactly.
        public override Tensor Forward(Tensor[] inputs)
        {
            Shape shape = Shape.Broadcast(mask.Shape, Shape.Broadcast(inputs[0].Shape, inputs[1].Shape));
            Tensor a = Layout.BroadcastTo(inputs[0], shape), b = Layout.BroadcastTo(inputs[1], shape);
            Tensor m = Layout.BroadcastTo(mask, shape);
            return a.Data is float[] af
                ? new Tensor(Select(m.Span<float>(), af, b.Span<float>()), shape)
                : new Tensor(Select(m.Span<double>(), (double[])a.Data, b.Span<double>()), shape);
        }

        public override Tensor? Vjp(int index, Tensor cotangent, Tensor[] inputs, Tensor output) => Route(index, cotangent);

        public override Tensor? Jvp(int index, Tensor tangent, Tensor[] inputs, Tensor output) => Route(index, tangent);

        private Tensor Route(int index, Tensor value) =>
            index == 0 ? Where(mask, value, ZerosLike(value)) : Where(mask, ZerosLike(value), value);

        private static T[] Select<T>(Span<T> mask, T[] a, Span<T> b)
            where T : unmanaged, IBinaryFloatingPointIeee754<T>
        {
            T[] result = Tensor.Allocate<T>(a.Length);
            for (int i = 0; i < result.Length; i++)
            {
                result[i] = mask[i] != T.Zero ? a[i] : b[i];
            }

            return result;
        }
    }

    private sealed class PowOp : Op
    {
        public static readonly PowOp Instance = new();

        public override string Name => "Pow";

        // ∂/∂x reads x and y; ∂/∂y reads x, y and the output.
        public override bool SavesOutput(bool[] needed) => needed[1];

        public override Tensor Forward(Tensor[] inputs) => Elementwise.Zip(inputs[0], inputs[1], default(PowTensorKernel));

        public override bool ForwardInto(Tensor[] inputs, Tensor output) => Elementwise.ZipInto(inputs[0], inputs[1], default(PowTensorKernel), output);

        public override Tensor? Vjp(int index, Tensor cotangent, Tensor[] inputs, Tensor output) => cotangent * Partial(index, inputs, output);

        public override Tensor? Jvp(int index, Tensor tangent, Tensor[] inputs, Tensor output) => tangent * Partial(index, inputs, output);

        // PyTorch's masks at base 0: ∂/∂x is 0 where y = 0 (x⁰ is constant, though 0·0⁻¹ is NaN), and ∂/∂y is 0
        // where x = 0 and y ≥ 0 (0ʸ is constant there, though log 0 · 0 is NaN).
        private static Tensor Partial(int index, Tensor[] inputs, Tensor output)
        {
            Tensor x = inputs[0], y = inputs[1];
            if (index == 0)
            {
                Tensor dx = y * x.Pow(y - 1.0);
                return Where(Masks.Equal(y, Scalar(0, y.DType)), ZerosLike(dx), dx);
            }

            Tensor dy = x.Log() * output;
            Tensor constant = Masks.Equal(x, Scalar(0, x.DType)).Times(Masks.Greater(y, Scalar(0, y.DType)).Plus(Masks.Equal(y, Scalar(0, y.DType))));
            return Where(constant, ZerosLike(dy), dy);
        }
    }

    /// <summary>Constant + constant without dispatch, for masks.</summary>
    private Tensor Plus(Tensor other) => Elementwise.Zip(this, other, default(AddKernel));

    /// <summary>Constant · constant without dispatch, for masks.</summary>
    private Tensor Times(Tensor other) => Elementwise.Zip(this, other, default(MultiplyKernel));

    private readonly struct MaxKernel : IBinaryKernel
    {
        public void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
            where T : unmanaged, IBinaryFloatingPointIeee754<T> => TP.Max(x, y, destination);

        public void Invoke<T>(ReadOnlySpan<T> x, T y, Span<T> destination)
            where T : unmanaged, IBinaryFloatingPointIeee754<T> => TP.Max(x, y, destination);

        public void Invoke<T>(T x, ReadOnlySpan<T> y, Span<T> destination)
            where T : unmanaged, IBinaryFloatingPointIeee754<T> => TP.Max(y, x, destination);
    }

    private readonly struct MinKernel : IBinaryKernel
    {
        public void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
            where T : unmanaged, IBinaryFloatingPointIeee754<T> => TP.Min(x, y, destination);

        public void Invoke<T>(ReadOnlySpan<T> x, T y, Span<T> destination)
            where T : unmanaged, IBinaryFloatingPointIeee754<T> => TP.Min(x, y, destination);

        public void Invoke<T>(T x, ReadOnlySpan<T> y, Span<T> destination)
            where T : unmanaged, IBinaryFloatingPointIeee754<T> => TP.Min(y, x, destination);
    }

    private readonly struct ClampKernel(double min, double max) : IUnaryKernel
    {
        public void Invoke<T>(ReadOnlySpan<T> x, Span<T> destination)
            where T : unmanaged, IBinaryFloatingPointIeee754<T> => TP.Clamp(x, T.CreateChecked(min), T.CreateChecked(max), destination);
    }

    private readonly struct PowTensorKernel : IBinaryKernel
    {
        public void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
            where T : unmanaged, IBinaryFloatingPointIeee754<T> => TP.Pow(x, y, destination);

        public void Invoke<T>(ReadOnlySpan<T> x, T y, Span<T> destination)
            where T : unmanaged, IBinaryFloatingPointIeee754<T> => TP.Pow(x, y, destination);

        public void Invoke<T>(T x, ReadOnlySpan<T> y, Span<T> destination)
            where T : unmanaged, IBinaryFloatingPointIeee754<T> => TP.Pow(x, y, destination);
    }
}
