namespace NeuralNet;

// The two products a convolution over columns [N, C·kh·kw, L] is made of: the weight times each image's columns, which
// writes the output [N, out, L] in place (no permute), and its weight gradient, the sum over images of G[n]·cols[n]ᵀ.
// Each one's VJPs are the two ops again, so derivatives of every order nest.
public partial class Tensor
{
    /// <summary>C[n] = op(A)·B[n] (+ bias[p] on row p) for A [P, Q] (stored [Q, P] when transposed), B [N, Q, R] and
    /// bias [P]: [N, P, R].</summary>
    private sealed class SharedLeftProductOp(bool transposeA) : Op
    {
        public static readonly SharedLeftProductOp Plain = new(transposeA: false), Transposed = new(transposeA: true);

        public override string Name => "SharedLeftProduct";

        // ∂/∂A reads B, ∂/∂B reads A; the bias's cotangent reads neither.
        public override bool SavesInput(int index, bool[] needed) => index switch
        {
            0 => needed[1],
            1 => needed[0],
            _ => false,
        };

        public override bool SavesOutput(bool[] needed) => false;

        public override Tensor Forward(Tensor[] inputs) =>
            BatchedProduct.SharedLeft(inputs[0], transposeA, inputs[1], inputs.Length > 2 ? inputs[2] : null);

        public override bool ForwardInto(Tensor[] inputs, Tensor output)
        {
            BatchedProduct.SharedLeftInto(inputs[0], transposeA, inputs[1], inputs.Length > 2 ? inputs[2] : null, output.Data);
            return true;
        }

        // With G[n] the output's cotangent: ∂/∂op(A) = Σ G[n]·B[n]ᵀ (transposed back when A is stored transposed),
        // ∂/∂B[n] = op(A)ᵀ·G[n], ∂/∂bias = G summed over images and columns.
        public override Tensor? Vjp(int index, Tensor cotangent, Tensor[] inputs, Tensor output) => index switch
        {
            0 => transposeA ? SummedOuter(inputs[1], cotangent) : SummedOuter(cotangent, inputs[1]),
            1 => SharedLeft(inputs[0], !transposeA, cotangent, null),
            _ => cotangent.Sum([0, 2]),
        };

        public override Tensor? Jvp(int index, Tensor tangent, Tensor[] inputs, Tensor output) => index switch
        {
            0 => SharedLeft(tangent, transposeA, inputs[1], null),
            1 => SharedLeft(inputs[0], transposeA, tangent, null),
            _ => tangent.Reshape(tangent.Shape[0], 1).BroadcastTo(output.Shape),
        };
    }

    /// <summary>D = Σ over n of G[n]·B[n]ᵀ for G [N, P, R] and B [N, Q, R]: [P, Q].</summary>
    private sealed class SummedOuterOp : Op
    {
        public static readonly SummedOuterOp Instance = new();

        public override string Name => "SummedOuter";

        // ∂/∂G reads B and ∂/∂B reads G.
        public override bool SavesInput(int index, bool[] needed) => needed[1 - index];

        public override bool SavesOutput(bool[] needed) => false;

        public override Tensor Forward(Tensor[] inputs) => BatchedProduct.SummedOuter(inputs[0], inputs[1]);

        public override bool ForwardInto(Tensor[] inputs, Tensor output)
        {
            BatchedProduct.SummedOuterInto(inputs[0], inputs[1], output.Data);
            return true;
        }

        // With D̄ the output's cotangent: ∂/∂G[n] = D̄·B[n], ∂/∂B[n] = D̄ᵀ·G[n].
        public override Tensor? Vjp(int index, Tensor cotangent, Tensor[] inputs, Tensor output) =>
            index == 0 ? SharedLeft(cotangent, false, inputs[1], null) : SharedLeft(cotangent, true, inputs[0], null);

        public override Tensor? Jvp(int index, Tensor tangent, Tensor[] inputs, Tensor output) =>
            index == 0 ? SummedOuter(tangent, inputs[1]) : SummedOuter(inputs[0], tangent);
    }

    /// <summary>op(A)·B[n] (+ bias) for every image n of <paramref name="b"/>, dispatched.</summary>
    private static Tensor SharedLeft(Tensor a, bool transposeA, Tensor b, Tensor? bias)
    {
        SharedLeftProductOp op = transposeA ? SharedLeftProductOp.Transposed : SharedLeftProductOp.Plain;
        return bias is null ? Dispatcher.Apply(op, a, b) : Dispatcher.Apply(op, a, b, bias);
    }

    /// <summary>Σ over n of G[n]·B[n]ᵀ, dispatched.</summary>
    private static Tensor SummedOuter(Tensor g, Tensor b) => Dispatcher.Apply(SummedOuterOp.Instance, g, b);
}
