namespace NeuralNet;

// Matrix product of two matrices.
public partial class Tensor
{
    /// <summary>The matrix product of an [m,k] matrix with a [k,n] matrix.</summary>
    /// <remarks>VJP: ∂/∂A = G·Bᵀ, ∂/∂B = Aᵀ·G. JVP: Ȧ·B + A·Ḃ.</remarks>
    /// <exception cref="ArgumentException">An operand is not a matrix, the inner dimensions differ, or the dtypes differ.</exception>
    public Tensor MatMul(Tensor other)
    {
        if (Rank != 2 || other.Rank != 2)
        {
            throw new ArgumentException($"MatMul: {Shape} x {other.Shape}: both operands must be matrices.");
        }

        if (Shape[1] != other.Shape[0])
        {
            throw new ArgumentException($"MatMul: {Shape} x {other.Shape}: inner dimensions {Shape[1]} and {other.Shape[0]} differ.");
        }

        OpChecks.SameDType("MatMul", this, other);
        return Dispatcher.Apply(MatMulOp.Instance, this, other);
    }

    private sealed class MatMulOp : Op
    {
        public static readonly MatMulOp Instance = new();

        public override string Name => "MatMul";

        public override Tensor Forward(Tensor[] inputs) => MatMulKernel.Multiply(inputs[0], inputs[1]);

        public override Tensor? Vjp(int index, Tensor cotangent, Tensor[] inputs, Tensor output) =>
            index == 0 ? cotangent.MatMul(inputs[1].Transpose()) : inputs[0].Transpose().MatMul(cotangent);

        public override Tensor? Jvp(int index, Tensor tangent, Tensor[] inputs, Tensor output) =>
            index == 0 ? tangent.MatMul(inputs[1]) : inputs[0].MatMul(tangent);
    }
}
