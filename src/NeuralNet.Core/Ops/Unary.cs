using System.Numerics;

namespace NeuralNet;

// Element-wise unary ops. Each declares its derivative f′(x) once (reusing the output where it can); the
// VJP g·f′ and the JVP t·f′ both come from it.
public partial class Tensor
{
    /// <summary>Element-wise eˣ.</summary>
    /// <remarks>f′(x) = eˣ = y.</remarks>
    public Tensor Exp() => Dispatcher.Apply(ExpOp.Instance, this);

    /// <summary>Element-wise natural logarithm (NaN below 0, −∞ at 0).</summary>
    /// <remarks>f′(x) = 1/x.</remarks>
    public Tensor Log() => Dispatcher.Apply(LogOp.Instance, this);

    /// <summary>Element-wise log(1 + x), accurate for small |x| where 1 + x would round away x's digits.</summary>
    /// <remarks>f′(x) = 1/(1 + x).</remarks>
    public Tensor Log1p() => Dispatcher.Apply(Log1pOp.Instance, this);

    /// <summary>Element-wise eˣ − 1, accurate for small |x| where eˣ ≈ 1.</summary>
    /// <remarks>f′(x) = eˣ = y + 1.</remarks>
    public Tensor Expm1() => Dispatcher.Apply(Expm1Op.Instance, this);

    /// <summary>Element-wise square root (NaN below 0).</summary>
    /// <remarks>f′(x) = 1/(2√x) = 0.5/y.</remarks>
    public Tensor Sqrt() => Dispatcher.Apply(SqrtOp.Instance, this);

    /// <summary>Element-wise x².</summary>
    /// <remarks>f′(x) = 2x.</remarks>
    public Tensor Square() => Dispatcher.Apply(SquareOp.Instance, this);

    /// <summary>Element-wise xᵖ for a constant exponent p.</summary>
    /// <remarks>f′(x) = p·xᵖ⁻¹ (zero for p = 0).</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="exponent"/> is NaN.</exception>
    public Tensor Pow(double exponent)
    {
        if (double.IsNaN(exponent))
        {
            throw new ArgumentOutOfRangeException(nameof(exponent), $"Pow: exponent {exponent} is not a number (input {Shape}).");
        }

        return Dispatcher.Apply(new PowScalarOp(exponent), this);
    }

    /// <summary>Element-wise sine (radians).</summary>
    /// <remarks>f′(x) = cos x.</remarks>
    public Tensor Sin() => Dispatcher.Apply(SinOp.Instance, this);

    /// <summary>Element-wise cosine (radians).</summary>
    /// <remarks>f′(x) = −sin x.</remarks>
    public Tensor Cos() => Dispatcher.Apply(CosOp.Instance, this);

    private sealed class ExpOp() : ElementwiseUnaryOp(DerivativeReads.Output)
    {
        public static readonly ExpOp Instance = new();

        public override string Name => "Exp";

        public override Tensor Forward(Tensor[] inputs) => Elementwise.Map(inputs[0], default(ExpKernel));

        public override bool ForwardInto(Tensor[] inputs, Tensor output) => Elementwise.MapInto(inputs[0], default(ExpKernel), output);

        protected override Tensor? Derivative(Tensor x, Tensor y) => y;
    }

    private sealed class LogOp() : ElementwiseUnaryOp(DerivativeReads.Input)
    {
        public static readonly LogOp Instance = new();

        public override string Name => "Log";

        public override Tensor Forward(Tensor[] inputs) => Elementwise.Map(inputs[0], default(LogKernel));

        public override bool ForwardInto(Tensor[] inputs, Tensor output) => Elementwise.MapInto(inputs[0], default(LogKernel), output);

        protected override Tensor? Derivative(Tensor x, Tensor y) => 1.0 / x;
    }

    private sealed class Log1pOp() : ElementwiseUnaryOp(DerivativeReads.Input)
    {
        public static readonly Log1pOp Instance = new();

        public override string Name => "Log1p";

        public override Tensor Forward(Tensor[] inputs) => Elementwise.Map(inputs[0], default(Log1pKernel));

        public override bool ForwardInto(Tensor[] inputs, Tensor output) => Elementwise.MapInto(inputs[0], default(Log1pKernel), output);

        protected override Tensor? Derivative(Tensor x, Tensor y) => 1.0 / (1.0 + x);
    }

    private sealed class Expm1Op() : ElementwiseUnaryOp(DerivativeReads.Output)
    {
        public static readonly Expm1Op Instance = new();

        public override string Name => "Expm1";

        public override Tensor Forward(Tensor[] inputs) => Elementwise.Map(inputs[0], default(Expm1Kernel));

        public override bool ForwardInto(Tensor[] inputs, Tensor output) => Elementwise.MapInto(inputs[0], default(Expm1Kernel), output);

        protected override Tensor? Derivative(Tensor x, Tensor y) => y + 1.0;
    }

    private sealed class SqrtOp() : ElementwiseUnaryOp(DerivativeReads.Output)
    {
        public static readonly SqrtOp Instance = new();

        public override string Name => "Sqrt";

        public override Tensor Forward(Tensor[] inputs) => Elementwise.Map(inputs[0], default(SqrtKernel));

        public override bool ForwardInto(Tensor[] inputs, Tensor output) => Elementwise.MapInto(inputs[0], default(SqrtKernel), output);

        protected override Tensor? Derivative(Tensor x, Tensor y) => 0.5 / y;
    }

    private sealed class SquareOp() : ElementwiseUnaryOp(DerivativeReads.Input)
    {
        public static readonly SquareOp Instance = new();

        public override string Name => "Square";

        public override Tensor Forward(Tensor[] inputs) => Elementwise.Map(inputs[0], default(SquareKernel));

        public override bool ForwardInto(Tensor[] inputs, Tensor output) => Elementwise.MapInto(inputs[0], default(SquareKernel), output);

        protected override Tensor? Derivative(Tensor x, Tensor y) => 2.0 * x;
    }

    private sealed class PowScalarOp(double exponent) : ElementwiseUnaryOp(DerivativeReads.Input)
    {
        public override string Name => "Pow";

        public override Tensor Forward(Tensor[] inputs) => Elementwise.Map(inputs[0], new PowKernel(exponent));

        protected override Tensor? Derivative(Tensor x, Tensor y) =>
            exponent == 0 ? null : exponent * x.Pow(exponent - 1);
    }

    private sealed class SinOp() : ElementwiseUnaryOp(DerivativeReads.Input)
    {
        public static readonly SinOp Instance = new();

        public override string Name => "Sin";

        public override Tensor Forward(Tensor[] inputs) => Elementwise.Map(inputs[0], default(SinKernel));

        public override bool ForwardInto(Tensor[] inputs, Tensor output) => Elementwise.MapInto(inputs[0], default(SinKernel), output);

        protected override Tensor? Derivative(Tensor x, Tensor y) => x.Cos();
    }

    private sealed class CosOp() : ElementwiseUnaryOp(DerivativeReads.Input)
    {
        public static readonly CosOp Instance = new();

        public override string Name => "Cos";

        public override Tensor Forward(Tensor[] inputs) => Elementwise.Map(inputs[0], default(CosKernel));

        public override bool ForwardInto(Tensor[] inputs, Tensor output) => Elementwise.MapInto(inputs[0], default(CosKernel), output);

        protected override Tensor? Derivative(Tensor x, Tensor y) => -x.Sin();
    }

    private readonly struct ExpKernel : IUnaryKernel
    {
        public void Invoke<T>(ReadOnlySpan<T> x, Span<T> destination)
            where T : unmanaged, IBinaryFloatingPointIeee754<T> => TP.Exp(x, destination);
    }

    private readonly struct LogKernel : IUnaryKernel
    {
        public void Invoke<T>(ReadOnlySpan<T> x, Span<T> destination)
            where T : unmanaged, IBinaryFloatingPointIeee754<T> => TP.Log(x, destination);
    }

    private readonly struct Log1pKernel : IUnaryKernel
    {
        public void Invoke<T>(ReadOnlySpan<T> x, Span<T> destination)
            where T : unmanaged, IBinaryFloatingPointIeee754<T> => AccurateMath.Log1p(x, destination);
    }

    private readonly struct Expm1Kernel : IUnaryKernel
    {
        public void Invoke<T>(ReadOnlySpan<T> x, Span<T> destination)
            where T : unmanaged, IBinaryFloatingPointIeee754<T> => AccurateMath.Expm1(x, destination);
    }

    private readonly struct SqrtKernel : IUnaryKernel
    {
        public void Invoke<T>(ReadOnlySpan<T> x, Span<T> destination)
            where T : unmanaged, IBinaryFloatingPointIeee754<T> => TP.Sqrt(x, destination);
    }

    private readonly struct SquareKernel : IUnaryKernel
    {
        public void Invoke<T>(ReadOnlySpan<T> x, Span<T> destination)
            where T : unmanaged, IBinaryFloatingPointIeee754<T> => TP.Multiply(x, x, destination);
    }

    private readonly struct PowKernel(double exponent) : IUnaryKernel
    {
        public void Invoke<T>(ReadOnlySpan<T> x, Span<T> destination)
            where T : unmanaged, IBinaryFloatingPointIeee754<T> => TP.Pow(x, T.CreateChecked(exponent), destination);
    }

    private readonly struct SinKernel : IUnaryKernel
    {
        public void Invoke<T>(ReadOnlySpan<T> x, Span<T> destination)
            where T : unmanaged, IBinaryFloatingPointIeee754<T> => TP.Sin(x, destination);
    }

    private readonly struct CosKernel : IUnaryKernel
    {
        public void Invoke<T>(ReadOnlySpan<T> x, Span<T> destination)
            where T : unmanaged, IBinaryFloatingPointIeee754<T> => TP.Cos(x, destination);
    }
}
