using System.Numerics;

namespace NeuralNet;

// Add, Sub, Mul, Div and Neg: each op's public methods, forward kernel, VJP and JVP side by side.
// Binary ops broadcast; their VJPs return cotangents of the broadcast shape and the tape sums them down.
public partial class Tensor
{
    /// <summary>Element-wise a + b, with broadcasting.</summary>
    /// <remarks>∂/∂a = 1, ∂/∂b = 1.</remarks>
    /// <exception cref="ArgumentException">The shapes do not broadcast.</exception>
    public static Tensor Add(Tensor a, Tensor b)
    {
        (a, b) = OpChecks.Binary(AddOp.Instance.Name, a, b);
        return Dispatcher.Apply(AddOp.Instance, a, b);
    }

    /// <summary>Element-wise a − b, with broadcasting.</summary>
    /// <remarks>∂/∂a = 1, ∂/∂b = −1.</remarks>
    /// <exception cref="ArgumentException">The shapes do not broadcast.</exception>
    public static Tensor Subtract(Tensor a, Tensor b)
    {
        (a, b) = OpChecks.Binary(SubtractOp.Instance.Name, a, b);
        return Dispatcher.Apply(SubtractOp.Instance, a, b);
    }

    /// <summary>Element-wise a · b, with broadcasting.</summary>
    /// <remarks>∂/∂a = b, ∂/∂b = a.</remarks>
    /// <exception cref="ArgumentException">The shapes do not broadcast.</exception>
    public static Tensor Multiply(Tensor a, Tensor b)
    {
        (a, b) = OpChecks.Binary(MultiplyOp.Instance.Name, a, b);
        return Dispatcher.Apply(MultiplyOp.Instance, a, b);
    }

    /// <summary>Element-wise a / b, with broadcasting (IEEE semantics: x/0 is ±∞ or NaN).</summary>
    /// <remarks>∂/∂a = 1/b, ∂/∂b = −a/b² = −y/b.</remarks>
    /// <exception cref="ArgumentException">The shapes do not broadcast.</exception>
    public static Tensor Divide(Tensor a, Tensor b)
    {
        (a, b) = OpChecks.Binary(DivideOp.Instance.Name, a, b);
        return Dispatcher.Apply(DivideOp.Instance, a, b);
    }

    /// <summary>Element-wise −x.</summary>
    /// <remarks>Linear: the JVP is −t and the VJP −g.</remarks>
    public Tensor Negate() => Dispatcher.Apply(NegateOp.Instance, this);

    /// <summary>Element-wise a + b, with broadcasting.</summary>
    public static Tensor operator +(Tensor a, Tensor b) => Add(a, b);

    /// <summary>Adds a scalar (in <paramref name="a"/>'s dtype) to every element.</summary>
    public static Tensor operator +(Tensor a, double b) => Add(a, Scalar(b, a.DType));

    /// <summary>Adds a scalar (in <paramref name="b"/>'s dtype) to every element.</summary>
    public static Tensor operator +(double a, Tensor b) => Add(Scalar(a, b.DType), b);

    /// <summary>Element-wise a − b, with broadcasting.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => Subtract(a, b);

    /// <summary>Subtracts a scalar from every element.</summary>
    public static Tensor operator -(Tensor a, double b) => Subtract(a, Scalar(b, a.DType));

    /// <summary>Subtracts every element from a scalar.</summary>
    public static Tensor operator -(double a, Tensor b) => Subtract(Scalar(a, b.DType), b);

    /// <summary>Element-wise a · b, with broadcasting.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => Multiply(a, b);

    /// <summary>Multiplies every element by a scalar.</summary>
    public static Tensor operator *(Tensor a, double b) => Multiply(a, Scalar(b, a.DType));

    /// <summary>Multiplies every element by a scalar.</summary>
    public static Tensor operator *(double a, Tensor b) => Multiply(Scalar(a, b.DType), b);

    /// <summary>Element-wise a / b, with broadcasting.</summary>
    public static Tensor operator /(Tensor a, Tensor b) => Divide(a, b);

    /// <summary>Divides every element by a scalar.</summary>
    public static Tensor operator /(Tensor a, double b) => Divide(a, Scalar(b, a.DType));

    /// <summary>Divides a scalar by every element.</summary>
    public static Tensor operator /(double a, Tensor b) => Divide(Scalar(a, b.DType), b);

    /// <summary>Element-wise −x.</summary>
    public static Tensor operator -(Tensor x) => x.Negate();

    private sealed class AddOp : Op
    {
        public static readonly AddOp Instance = new();

        public override string Name => "Add";

        public override bool SavesInput(int index, bool[] needed) => false;

        public override bool SavesOutput(bool[] needed) => false;

        public override Tensor Forward(Tensor[] inputs) => Elementwise.Zip(inputs[0], inputs[1], default(AddKernel));

        public override bool ForwardInto(Tensor[] inputs, Tensor output) => Elementwise.ZipInto(inputs[0], inputs[1], default(AddKernel), output);

        public override Tensor? Vjp(int index, Tensor cotangent, Tensor[] inputs, Tensor output) => cotangent;

        public override Tensor? Jvp(int index, Tensor tangent, Tensor[] inputs, Tensor output) => tangent;
    }

    private sealed class SubtractOp : Op
    {
        public static readonly SubtractOp Instance = new();

        public override string Name => "Subtract";

        public override bool SavesInput(int index, bool[] needed) => false;

        public override bool SavesOutput(bool[] needed) => false;

        public override Tensor Forward(Tensor[] inputs) => Elementwise.Zip(inputs[0], inputs[1], default(SubtractKernel));

        public override bool ForwardInto(Tensor[] inputs, Tensor output) => Elementwise.ZipInto(inputs[0], inputs[1], default(SubtractKernel), output);

        public override Tensor? Vjp(int index, Tensor cotangent, Tensor[] inputs, Tensor output) =>
            index == 0 ? cotangent : -cotangent;

        public override Tensor? Jvp(int index, Tensor tangent, Tensor[] inputs, Tensor output) =>
            index == 0 ? tangent : -tangent;
    }

    private sealed class MultiplyOp : Op
    {
        public static readonly MultiplyOp Instance = new();

        public override string Name => "Multiply";

        // Each input's cotangent reads only the other input.
        public override bool SavesInput(int index, bool[] needed) => needed[1 - index];

        public override bool SavesOutput(bool[] needed) => false;

        public override Tensor Forward(Tensor[] inputs) => Elementwise.Zip(inputs[0], inputs[1], default(MultiplyKernel));

        public override bool ForwardInto(Tensor[] inputs, Tensor output) => Elementwise.ZipInto(inputs[0], inputs[1], default(MultiplyKernel), output);

        public override Tensor? Vjp(int index, Tensor cotangent, Tensor[] inputs, Tensor output) =>
            cotangent * inputs[1 - index];

        public override Tensor? Jvp(int index, Tensor tangent, Tensor[] inputs, Tensor output) =>
            index == 0 ? tangent * inputs[1] : inputs[0] * tangent;
    }

    private sealed class DivideOp : Op
    {
        public static readonly DivideOp Instance = new();

        public override string Name => "Divide";

        // ∂/∂a reads b; ∂/∂b reads b and the output.
        public override bool SavesInput(int index, bool[] needed) => index == 1;

        public override bool SavesOutput(bool[] needed) => needed[1];

        public override Tensor Forward(Tensor[] inputs) => Elementwise.Zip(inputs[0], inputs[1], default(DivideKernel));

        public override bool ForwardInto(Tensor[] inputs, Tensor output) => Elementwise.ZipInto(inputs[0], inputs[1], default(DivideKernel), output);

        public override Tensor? Vjp(int index, Tensor cotangent, Tensor[] inputs, Tensor output) =>
            index == 0 ? cotangent / inputs[1] : -(cotangent * output / inputs[1]);

        public override Tensor? Jvp(int index, Tensor tangent, Tensor[] inputs, Tensor output) =>
            index == 0 ? tangent / inputs[1] : -(tangent * output / inputs[1]);
    }

    private sealed class NegateOp : LinearUnaryOp
    {
        public static readonly NegateOp Instance = new();

        public override string Name => "Negate";

        public override Tensor Forward(Tensor[] inputs) => Elementwise.Map(inputs[0], default(NegateKernel));

        public override bool ForwardInto(Tensor[] inputs, Tensor output) => Elementwise.MapInto(inputs[0], default(NegateKernel), output);

        public override Tensor? Vjp(int index, Tensor cotangent, Tensor[] inputs, Tensor output) => -cotangent;
    }

    private readonly struct NegateKernel : IUnaryKernel
    {
        public void Invoke<T>(ReadOnlySpan<T> x, Span<T> destination)
            where T : unmanaged, IBinaryFloatingPointIeee754<T> => TP.Negate(x, destination);
    }
}
