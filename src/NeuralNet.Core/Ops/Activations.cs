using System.Numerics;

namespace NeuralNet;

// Element-wise activations and the piecewise functions they are made of. Derivatives of piecewise ops use
// constant 0/1 masks (their own derivative is zero almost everywhere); smooth ones reuse the output.
public partial class Tensor
{
    /// <summary>Element-wise |x|.</summary>
    /// <remarks>f′(x) = sign(x), taken as 0 at x = 0 (PyTorch's choice).</remarks>
    public Tensor Abs() => Dispatcher.Apply(AbsOp.Instance, this);

    /// <summary>Element-wise sign: −1, 0 or 1 (NaN stays NaN).</summary>
    /// <remarks>Piecewise constant: its derivative is zero.</remarks>
    public Tensor Sign() => Dispatcher.Apply(SignOp.Instance, this);

    /// <summary>Element-wise hyperbolic tangent.</summary>
    /// <remarks>f′(x) = 1 − tanh²(x) = 1 − y².</remarks>
    public Tensor Tanh() => Dispatcher.Apply(TanhOp.Instance, this);

    /// <summary>Element-wise logistic sigmoid σ(x) = 1 / (1 + e⁻ˣ), saturating without overflow for large |x|.</summary>
    /// <remarks>f′(x) = σ(x)(1 − σ(x)) = y(1 − y).</remarks>
    public Tensor Sigmoid() => Dispatcher.Apply(SigmoidOp.Instance, this);

    /// <summary>Element-wise rectified linear unit max(x, 0).</summary>
    /// <remarks>f′(x) = 1 for x &gt; 0, else 0 (0 at the kink, as PyTorch).</remarks>
    public Tensor Relu() => Dispatcher.Apply(ReluOp.Instance, this);

    /// <summary>Element-wise leaky ReLU: x for x &gt; 0, else α·x.</summary>
    /// <param name="alpha">The slope for negative inputs (PyTorch's <c>negative_slope</c>, default 0.01).</param>
    /// <remarks>f′(x) = 1 for x &gt; 0, else α.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> is not finite.</exception>
    public Tensor LeakyRelu(double alpha = 0.01) =>
        Dispatcher.Apply(new LeakyReluOp(CheckFinite("LeakyRelu", nameof(alpha), alpha)), this);

    /// <summary>Element-wise exponential linear unit: x for x &gt; 0, else α(eˣ − 1).</summary>
    /// <param name="alpha">The saturation value for large negative inputs is −α (default 1).</param>
    /// <remarks>f′(x) = 1 for x &gt; 0, else α·eˣ = y + α.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> is not finite.</exception>
    public Tensor Elu(double alpha = 1.0) => Dispatcher.Apply(new EluOp(CheckFinite("Elu", nameof(alpha), alpha)), this);

    /// <summary>Element-wise SiLU (swish) x·σ(x) (PyTorch's <c>F.silu</c>), as the product of x and its sigmoid.</summary>
    /// <remarks>f′(x) = σ(x)(1 + x(1 − σ(x))), from the two ops' rules, so it nests to any order like them.</remarks>
    public Tensor Silu() => this * Sigmoid();

    /// <summary>Element-wise softplus log(1 + eˣ), computed as max(x, 0) + log1p(e^−|x|) so it never overflows.</summary>
    /// <remarks>f′(x) = σ(x).</remarks>
    public Tensor Softplus() => Dispatcher.Apply(SoftplusOp.Instance, this);

    private static double CheckFinite(string op, string name, double value) =>
        double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(name, $"{op}: {name} {value} must be finite.");

    private sealed class AbsOp() : ElementwiseUnaryOp(DerivativeReads.Input)
    {
        public static readonly AbsOp Instance = new();

        public override string Name => "Abs";

        public override Tensor Forward(Tensor[] inputs) => Elementwise.Map(inputs[0], default(AbsKernel));

        public override bool ForwardInto(Tensor[] inputs, Tensor output) => Elementwise.MapInto(inputs[0], default(AbsKernel), output);

        protected override Tensor? Derivative(Tensor x, Tensor y) => SignOp.Instance.Forward([x]);
    }

    private sealed class SignOp : Op
    {
        public static readonly SignOp Instance = new();

        public override string Name => "Sign";

        public override bool SavesInput(int index, bool[] needed) => false;

        public override bool SavesOutput(bool[] needed) => false;

        public override Tensor Forward(Tensor[] inputs)
        {
            Tensor x = inputs[0], zero = Scalar(0, x.DType);
            Tensor sign = Elementwise.Zip(Masks.Greater(x, zero), Masks.Greater(zero, x), default(SubtractKernel));
            return Elementwise.Zip(sign, x, default(KeepNaNKernel));
        }

        public override Tensor? Vjp(int index, Tensor cotangent, Tensor[] inputs, Tensor output) => null;

        public override Tensor? Jvp(int index, Tensor tangent, Tensor[] inputs, Tensor output) => null;
    }

    private sealed class TanhOp : Op
    {
        public static readonly TanhOp Instance = new();

        public override string Name => "Tanh";

        public override bool SavesInput(int index, bool[] needed) => false;

        public override Tensor Forward(Tensor[] inputs) => Elementwise.Map(inputs[0], default(TanhKernel));

        public override bool ForwardInto(Tensor[] inputs, Tensor output) => Elementwise.MapInto(inputs[0], default(TanhKernel), output);

        // g ⊙ (1 − y²) in one op, both ways.
        public override Tensor? Vjp(int index, Tensor cotangent, Tensor[] inputs, Tensor output) =>
            Dispatcher.Apply(TanhGradientOp.Instance, cotangent, output);

        public override Tensor? Jvp(int index, Tensor tangent, Tensor[] inputs, Tensor output) =>
            Dispatcher.Apply(TanhGradientOp.Instance, tangent, output);
    }

    private sealed class SigmoidOp : Op
    {
        public static readonly SigmoidOp Instance = new();

        public override string Name => "Sigmoid";

        public override bool SavesInput(int index, bool[] needed) => false;

        public override Tensor Forward(Tensor[] inputs) => Elementwise.Map(inputs[0], default(SigmoidKernel));

        public override bool ForwardInto(Tensor[] inputs, Tensor output) => Elementwise.MapInto(inputs[0], default(SigmoidKernel), output);

        // g ⊙ y(1 − y) in one op, both ways.
        public override Tensor? Vjp(int index, Tensor cotangent, Tensor[] inputs, Tensor output) =>
            Dispatcher.Apply(SigmoidGradientOp.Instance, cotangent, output);

        public override Tensor? Jvp(int index, Tensor tangent, Tensor[] inputs, Tensor output) =>
            Dispatcher.Apply(SigmoidGradientOp.Instance, tangent, output);
    }

    private sealed class ReluOp : Op
    {
        public static readonly ReluOp Instance = new();

        public override string Name => "Relu";

        public override bool SavesOutput(bool[] needed) => false;

        public override Tensor Forward(Tensor[] inputs) => Elementwise.Map(inputs[0], new LeakyReluKernel(0));

        public override bool ForwardInto(Tensor[] inputs, Tensor output) => Elementwise.MapInto(inputs[0], new LeakyReluKernel(0), output);

        // g ⊙ 1[x > 0] in one op, both ways (the JVP is the same linear map of the tangent).
        public override Tensor? Vjp(int index, Tensor cotangent, Tensor[] inputs, Tensor output) =>
            Dispatcher.Apply(ReluGradientOp.Instance, cotangent, inputs[0]);

        public override Tensor? Jvp(int index, Tensor tangent, Tensor[] inputs, Tensor output) =>
            Dispatcher.Apply(ReluGradientOp.Instance, tangent, inputs[0]);
    }

    private sealed class LeakyReluOp(double alpha) : ElementwiseUnaryOp(DerivativeReads.Input)
    {
        public override string Name => "LeakyRelu";

        public override Tensor Forward(Tensor[] inputs) => Elementwise.Map(inputs[0], new LeakyReluKernel(alpha));

        public override bool ForwardInto(Tensor[] inputs, Tensor output) => Elementwise.MapInto(inputs[0], new LeakyReluKernel(alpha), output);

        // 1 where x > 0, α elsewhere: a constant.
        protected override Tensor? Derivative(Tensor x, Tensor y) =>
            Elementwise.Zip(Masks.Positive(x), Scalar(1 - alpha, x.DType), default(MultiplyKernel)).AddConstant(alpha);
    }

    private sealed class EluOp(double alpha) : ElementwiseUnaryOp(DerivativeReads.Both)
    {
        public override string Name => "Elu";

        public override Tensor Forward(Tensor[] inputs) => Elementwise.Map(inputs[0], new EluKernel(alpha));

        // 1 where x > 0, else y + α; written in y so that second derivatives flow, and selected rather than blended
        // by the mask, which would turn 0·∞ into NaN at x = +∞.
        protected override Tensor? Derivative(Tensor x, Tensor y) => Where(Masks.Positive(x), OnesLike(y), y + alpha);
    }

    private sealed class SoftplusOp() : ElementwiseUnaryOp(DerivativeReads.Input)
    {
        public static readonly SoftplusOp Instance = new();

        public override string Name => "Softplus";

        public override Tensor Forward(Tensor[] inputs) => Elementwise.Map(inputs[0], default(SoftplusKernel));

        public override bool ForwardInto(Tensor[] inputs, Tensor output) => Elementwise.MapInto(inputs[0], default(SoftplusKernel), output);

        protected override Tensor? Derivative(Tensor x, Tensor y) => x.Sigmoid();
    }

    /// <summary>Adds a constant to a constant tensor without dispatch (for masks).</summary>
    private Tensor AddConstant(double value) => Elementwise.Zip(this, Scalar(value, DType), default(AddKernel));

    private readonly struct AbsKernel : IUnaryKernel
    {
        public void Invoke<T>(ReadOnlySpan<T> x, Span<T> destination)
            where T : unmanaged, IBinaryFloatingPointIeee754<T> => TP.Abs(x, destination);
    }

    private readonly struct TanhKernel : IUnaryKernel
    {
        public void Invoke<T>(ReadOnlySpan<T> x, Span<T> destination)
            where T : unmanaged, IBinaryFloatingPointIeee754<T> => AccurateMath.Tanh(x, destination);
    }

    private readonly struct SigmoidKernel : IUnaryKernel
    {
        public void Invoke<T>(ReadOnlySpan<T> x, Span<T> destination)
            where T : unmanaged, IBinaryFloatingPointIeee754<T> => TP.Sigmoid(x, destination);
    }

    /// <summary>max(x, 0) + α·min(x, 0): ReLU for α = 0, leaky ReLU otherwise, for any sign of α.</summary>
    private readonly struct LeakyReluKernel(double alpha) : IUnaryKernel
    {
        public void Invoke<T>(ReadOnlySpan<T> x, Span<T> destination)
            where T : unmanaged, IBinaryFloatingPointIeee754<T>
        {
            if (alpha == 0)
            {
                TP.Max(x, T.Zero, destination);
                return;
            }

            using var scratch = new Scratch<T>(x.Length);
            TP.Max(x, T.Zero, scratch.Span);
            TP.Min(x, T.Zero, destination);
            TP.MultiplyAdd(destination, T.CreateChecked(alpha), scratch.Span, destination);
        }
    }

    /// <summary>max(x, 0) + α·expm1(min(x, 0)).</summary>
    private readonly struct EluKernel(double alpha) : IUnaryKernel
    {
        public void Invoke<T>(ReadOnlySpan<T> x, Span<T> destination)
            where T : unmanaged, IBinaryFloatingPointIeee754<T>
        {
            using var scratch = new Scratch<T>(x.Length);
            TP.Min(x, T.Zero, scratch.Span);
            AccurateMath.Expm1<T>(scratch.Span, destination);
            TP.Max(x, T.Zero, scratch.Span);
            TP.MultiplyAdd(destination, T.CreateChecked(alpha), scratch.Span, destination);
        }
    }

    /// <summary>max(x, 0) + log1p(e^−|x|): the exponent is never positive, so nothing overflows.</summary>
    private readonly struct SoftplusKernel : IUnaryKernel
    {
        public void Invoke<T>(ReadOnlySpan<T> x, Span<T> destination)
            where T : unmanaged, IBinaryFloatingPointIeee754<T> => AccurateMath.Softplus(x, destination);
    }

    /// <summary>Copies NaN from the second operand into the first (sign of NaN is NaN); other values pass through.</summary>
    private readonly struct KeepNaNKernel : IBinaryKernel
    {
        public void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
            where T : unmanaged, IBinaryFloatingPointIeee754<T>
        {
            x.CopyTo(destination);
            if (TP.IsNaNAny(y))
            {
                for (int i = 0; i < y.Length; i++)
                {
                    if (T.IsNaN(y[i]))
                    {
                        destination[i] = y[i];
                    }
                }
            }
        }

        public void Invoke<T>(ReadOnlySpan<T> x, T y, Span<T> destination)
            where T : unmanaged, IBinaryFloatingPointIeee754<T>
        {
            x.CopyTo(destination);
            if (T.IsNaN(y))
            {
                destination.Fill(y);
            }
        }

        public void Invoke<T>(T x, ReadOnlySpan<T> y, Span<T> destination)
            where T : unmanaged, IBinaryFloatingPointIeee754<T>
        {
            destination.Fill(x);
            for (int i = 0; i < y.Length; i++)
            {
                if (T.IsNaN(y[i]))
                {
                    destination[i] = y[i];
                }
            }
        }
    }
}
