namespace NeuralNet;

// Matrix products (2-D, batched with broadcast batch axes, and with operands transposed in place) and the
// vector products Dot and Outer.
public partial class Tensor
{
    /// <summary>The matrix product, with <c>torch.matmul</c>'s rules.</summary>
    /// <remarks>
    /// <para>Two matrices [m,k]·[k,n] give [m,n]. Higher ranks are stacks of matrices: the last two axes
    /// multiply and the leading (batch) axes broadcast, so [b,m,k]·[k,n] gives [b,m,n]. A 1-D left operand is
    /// a row vector and a 1-D right operand a column vector; their added axis is removed from the result.</para>
    /// <para>VJP: ∂/∂A = G·Bᵀ, ∂/∂B = Aᵀ·G (summed over broadcast batch axes). JVP: Ȧ·B + A·Ḃ.</para>
    /// </remarks>
    /// <exception cref="ArgumentException">An operand is a scalar, the inner dimensions differ, the batch axes do
    /// not broadcast, or the dtypes differ.</exception>
    public Tensor MatMul(Tensor other) => MatMul(this, other);

    /// <summary>
    /// The matrix product op(a)·op(b), where op transposes the last two axes when asked. The transposed operand
    /// is read in place by the kernel, never copied (BLAS's <c>transa</c>/<c>transb</c>).
    /// </summary>
    /// <param name="a">The left operand, rank 2 or more.</param>
    /// <param name="b">The right operand, rank 2 or more.</param>
    /// <param name="transposeA">Use the transpose of <paramref name="a"/>'s last two axes.</param>
    /// <param name="transposeB">Use the transpose of <paramref name="b"/>'s last two axes.</param>
    /// <remarks>1-D operands are accepted only without transposition, as in <see cref="MatMul(Tensor)"/>.</remarks>
    /// <exception cref="ArgumentException">The shapes do not multiply, or the dtypes differ.</exception>
    public static Tensor MatMul(Tensor a, Tensor b, bool transposeA = false, bool transposeB = false)
    {
        const string op = "MatMul";
        OpChecks.SameDType(op, a, b);
        if (a.Rank == 0 || b.Rank == 0 || ((transposeA && a.Rank < 2) || (transposeB && b.Rank < 2)))
        {
            throw new ArgumentException($"{op}: {a.Shape} x {b.Shape}: operands must be vectors or matrices (matrices when transposed).");
        }

        // Two matrices, the common case (every Dense layer's backward pass): no batch axes to broadcast, and one of four
        // shared ops, so a product allocates only its node and its result.
        if (a.Rank == 2 && b.Rank == 2)
        {
            int k = a.Shape[transposeA ? 0 : 1];
            if (k != b.Shape[transposeB ? 1 : 0])
            {
                throw new ArgumentException($"{op}: {a.Shape} x {b.Shape}: inner dimensions {k} and {b.Shape[transposeB ? 1 : 0]} differ.");
            }

            long elements = (long)a.Shape[transposeA ? 1 : 0] * b.Shape[transposeB ? 0 : 1];
            if (elements > Array.MaxLength)
            {
                throw new ArgumentException(
                    $"{op}: {a.Shape} x {b.Shape}: the product would have {elements} elements, more than an array can hold ({Array.MaxLength}).");
            }

            return Dispatcher.Apply(MatMulOp.Of(transposeA, transposeB), a, b);
        }

        // Vectors become matrices ([k] → [1,k] on the left, [k,1] on the right); their axis is dropped at the end.
        bool rowVector = a.Rank == 1, columnVector = b.Rank == 1;
        Tensor left = rowVector ? a.Reshape(1, a.Size) : a;
        Tensor right = columnVector ? b.Reshape(b.Size, 1) : b;
        int ka = left.Shape[transposeA ? -2 : -1];
        int kb = right.Shape[transposeB ? -1 : -2];
        if (ka != kb)
        {
            throw new ArgumentException($"{op}: {a.Shape} x {b.Shape}: inner dimensions {ka} and {kb} differ.");
        }

        Shape leftBatch = left.Shape.Dimensions[..^2].ToArray(), rightBatch = right.Shape.Dimensions[..^2].ToArray();
        if (!Shape.TryBroadcast(leftBatch, rightBatch, out Shape batch, out _))
        {
            throw new ArgumentException($"{op}: {a.Shape} x {b.Shape}: batch axes {leftBatch} and {rightBatch} do not broadcast.");
        }

        // Checked here, before any kernel indexes an output whose element count would not fit an int.
        long size = (long)batch.Size * left.Shape[transposeA ? -1 : -2] * right.Shape[transposeB ? -2 : -1];
        if (size > Array.MaxLength)
        {
            throw new ArgumentException(
                $"{op}: {a.Shape} x {b.Shape}: the product would have {size} elements, more than an array can hold ({Array.MaxLength}).");
        }

        // A stack of matrices times one matrix is one product: the stack's rows fold into M (a view), so the right
        // operand is neither copied per batch entry nor multiplied batch by batch.
        if (rightBatch.Rank == 0 && leftBatch.Rank > 0 && !transposeA)
        {
            int rows = batch.Size * left.Shape[-2];
            Tensor folded = MatMul(left.Reshape(rows, ka), right, transposeA: false, transposeB);
            int[] unfolded = [.. batch.Dimensions, left.Shape[-2], folded.Shape[-1]];
            return columnVector ? folded.Reshape(unfolded[..^1]) : folded.Reshape(unfolded);
        }

        left = left.BroadcastTo([.. batch.Dimensions, left.Shape[-2], left.Shape[-1]]);
        right = right.BroadcastTo([.. batch.Dimensions, right.Shape[-2], right.Shape[-1]]);
        Tensor product = Dispatcher.Apply(MatMulOp.Of(transposeA, transposeB), left, right);
        if (!rowVector && !columnVector)
        {
            return product;
        }

        var dims = new List<int>(batch.Dimensions.ToArray());
        if (!rowVector)
        {
            dims.Add(product.Shape[-2]);
        }

        if (!columnVector)
        {
            dims.Add(product.Shape[-1]);
        }

        return product.Reshape([.. dims]);
    }

    /// <summary>The inner product Σᵢ aᵢ·bᵢ of two vectors of one length: a scalar (rank 0).</summary>
    /// <remarks>
    /// <para>Bilinear: VJP ∂/∂a = g·b, ∂/∂b = g·a; JVP ȧ·b + a·ḃ. The forward kernel is <c>TensorPrimitives.Dot</c>.</para>
    /// </remarks>
    /// <exception cref="ArgumentException">An operand is not 1-D, the lengths differ, or the dtypes differ.</exception>
    public static Tensor Dot(Tensor a, Tensor b)
    {
        const string op = "Dot";
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        OpChecks.SameDType(op, a, b);
        if (a.Rank != 1 || b.Rank != 1)
        {
            throw new ArgumentException($"{op}: {a.Shape} · {b.Shape}: both operands must be vectors (rank 1); use MatMul for matrices.");
        }

        if (a.Size != b.Size)
        {
            throw new ArgumentException($"{op}: {a.Shape} · {b.Shape}: lengths {a.Size} and {b.Size} differ.");
        }

        return Dispatcher.Apply(DotOp.Instance, a, b);
    }

    /// <summary>The outer product of two vectors: result[i, j] = a[i]·b[j], of shape [n, m].</summary>
    /// <remarks>Composed as a broadcasting product of a as a column [n,1] and b as a row [1,m]; so VJP ∂/∂a = G·b,
    /// ∂/∂b = Gᵀ·a, and JVP ȧ⊗b + a⊗ḃ.</remarks>
    /// <exception cref="ArgumentException">An operand is not 1-D, or the dtypes differ.</exception>
    public static Tensor Outer(Tensor a, Tensor b)
    {
        const string op = "Outer";
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        OpChecks.SameDType(op, a, b);
        if (a.Rank != 1 || b.Rank != 1)
        {
            throw new ArgumentException($"{op}: {a.Shape} ⊗ {b.Shape}: both operands must be vectors (rank 1).");
        }

        return a.Reshape(a.Size, 1) * b.Reshape(1, b.Size);
    }

    private sealed class DotOp : Op
    {
        public static readonly DotOp Instance = new();

        public override string Name => "Dot";

        public override bool SavesInput(int index, bool[] needed) => needed[1 - index];

        public override bool SavesOutput(bool[] needed) => false;

        public override Tensor Forward(Tensor[] inputs)
        {
            double value = inputs[0].Data is float[] a ? TP.Dot<float>(a, (float[])inputs[1].Data) : TP.Dot<double>((double[])inputs[0].Data, (double[])inputs[1].Data);
            return Scalar(value, inputs[0].DType);
        }

        // g is a scalar: g·b broadcasts it over the vector.
        public override Tensor? Vjp(int index, Tensor cotangent, Tensor[] inputs, Tensor output) =>
            cotangent * inputs[1 - index];

        public override Tensor? Jvp(int index, Tensor tangent, Tensor[] inputs, Tensor output) =>
            index == 0 ? Dot(tangent, inputs[1]) : Dot(inputs[0], tangent);
    }

    /// <summary>op(A)·op(B) over matching batch axes.</summary>
    private sealed class MatMulOp(bool transposeA, bool transposeB) : Op
    {
        // The op holds only its two flags, so four instances serve every product.
        private static readonly MatMulOp[] s_instances = [new(false, false), new(false, true), new(true, false), new(true, true)];

        public override string Name => "MatMul";

        /// <summary>The shared op for these transpose flags.</summary>
        public static MatMulOp Of(bool transposeA, bool transposeB) => s_instances[(transposeA ? 2 : 0) + (transposeB ? 1 : 0)];

        // Each operand's cotangent is a product of the cotangent with the other operand.
        public override bool SavesInput(int index, bool[] needed) => needed[1 - index];

        public override bool SavesOutput(bool[] needed) => false;

        public override Tensor Forward(Tensor[] inputs) => MatMulKernel.Multiply(inputs[0], transposeA, inputs[1], transposeB);

        public override bool ForwardInto(Tensor[] inputs, Tensor output)
        {
            MatMulKernel.MultiplyInto(inputs[0], transposeA, inputs[1], transposeB, output);
            return true;
        }

        // With C = op(A)·op(B) and G = ∂L/∂C: ∂L/∂op(A) = G·op(B)ᵀ and ∂L/∂op(B) = op(A)ᵀ·G; a transposed
        // operand takes the transpose of that, which is again a product with transpose flags.
        public override Tensor? Vjp(int index, Tensor cotangent, Tensor[] inputs, Tensor output)
        {
            Tensor a = inputs[0], b = inputs[1];
            if (index == 0)
            {
                return transposeA ? MatMul(b, cotangent, transposeB, true) : MatMul(cotangent, b, false, !transposeB);
            }

            return transposeB ? MatMul(cotangent, a, true, transposeA) : MatMul(a, cotangent, !transposeA, false);
        }

        public override Tensor? Jvp(int index, Tensor tangent, Tensor[] inputs, Tensor output) =>
            index == 0
                ? MatMul(tangent, inputs[1], transposeA, transposeB)
                : MatMul(inputs[0], tangent, transposeA, transposeB);
    }
}
