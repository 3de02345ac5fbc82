namespace NeuralNet;

// Which dtype a binary op computes in. PyTorch's rule (torch.result_type) for floating types: tensors with
// dimensions outrank rank-0 tensors, which outrank weak scalars (JAX's weak types: a Tensor.Scalar made without a
// dtype); the result is the widest dtype of the highest-ranked operands. So Float32 ⊕ Float64 is Float64, and
// neither a weak scalar nor a rank-0 tensor changes the dtype of a tensor with dimensions.
public partial class Tensor
{
    /// <summary>
    /// The dtype an element-wise op of these operands computes in and returns (PyTorch's <c>torch.result_type</c>):
    /// the widest dtype among the operands with dimensions; if none has any, among the rank-0 tensors; if all
    /// are weak scalars (<see cref="Scalar"/> without a dtype), among those.
    /// </summary>
    /// <exception cref="ArgumentException">No operand is given.</exception>
    /// <exception cref="ArgumentNullException">An operand is null.</exception>
    public static DType ResultType(params ReadOnlySpan<Tensor> operands)
    {
        if (operands.IsEmpty)
        {
            throw new ArgumentException("ResultType: expects at least one operand.", nameof(operands));
        }

        int rank = -1;
        DType result = DType.Float32;
        foreach (Tensor x in operands)
        {
            ArgumentNullException.ThrowIfNull(x, nameof(operands));
            int r = PromotionRank(x);
            if (r > rank)
            {
                (rank, result) = (r, x.DType);
            }
            else if (r == rank && x.DType == DType.Float64)
            {
                result = DType.Float64;
            }
        }

        return result;
    }

    /// <summary>
    /// <paramref name="x"/> in <paramref name="dtype"/>: a differentiable cast, or for a weak scalar the exact value it
    /// was made from, rounded once to <paramref name="dtype"/>.
    /// </summary>
    internal static Tensor Promote(Tensor x, DType dtype) =>
        x._isWeak && x.DType != dtype ? Full(Shape.ScalarShape, x._weakValue, dtype) : x.To(dtype);

    // 2: a tensor with dimensions; 1: a rank-0 tensor; 0: a weak scalar.
    private static int PromotionRank(Tensor x) => x.IsWeak ? 0 : x.Rank == 0 ? 1 : 2;
}
