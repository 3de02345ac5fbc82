namespace NeuralNet;

/// <summary>
/// The FLOP and byte conventions of a cost report, as a function of an op's name and its input and output shapes;
/// they are stated for users on <see cref="Autodiff.Cost(Func{Tensor, Tensor}, Tensor)"/>.
/// </summary>
internal static class CostModel
{
    /// <summary>The FLOPs of <paramref name="op"/> on <paramref name="inputs"/> giving <paramref name="output"/>.</summary>
    public static long Flops(Op op, Tensor[] inputs, Tensor output)
    {
        long outputs = output.Size;
        long firstInput = inputs.Length > 0 ? inputs[0].Size : 0;
        return op.Name switch
        {
            "Reshape" or "Permute" or "BroadcastTo" or "Slice" or "Pad" or "Gather" or "Concatenate"
                or "Index" or "IndexBackward" or "To" or "Unfold" or "MaxPool2dGather" => 0,
            "ScatterAdd" or "Fold" or "MaxPool2dScatter" => firstInput,

            // Out [..., m, n] from A holding batch·m·k elements: batch·m·k·n multiply-adds.
            "MatMul" or "Linear" => 2 * firstInput * output.Shape[-1],

            // A convolution's products: out [N, P, R] = A [P, Q] times B [N, Q, R], 2·N·P·Q·R, whichever way A is stored;
            // its weight gradient Σₙ G[n]·B[n]ᵀ with G [N, P, R] and B [N, Q, R], the same count.
            "SharedLeftProduct" => 2 * outputs * inputs[1].Shape[1],
            "SummedOuter" => 2 * firstInput * inputs[1].Shape[1],

            // Sequential's fused Dense-then-ReLU: the product, and the ReLU's one FLOP per output element.
            "LinearRelu" => (2 * firstInput * output.Shape[-1]) + outputs,
            "Dot" => 2 * firstInput,
            "Sum" or "Max" or "Min" => firstInput - outputs,
            "Softmax" or "LogSoftmax" => 5 * firstInput,
            "LogSumExp" or "SoftmaxCrossEntropy" => 4 * firstInput,
            "SoftmaxCrossEntropyGradient" => 6 * firstInput,
            "TanhGradient" or "SigmoidGradient" => 3 * outputs,
            _ => outputs,
        };
    }

    /// <summary>The bytes an op reads and writes: each input and the output once, or none for a view of its input.</summary>
    public static long Bytes(Tensor[] inputs, Tensor output)
    {
        if (inputs.Length == 1 && output.SharesValuesWith(inputs[0]))
        {
            return 0;
        }

        long bytes = Bytes(output);
        foreach (Tensor input in inputs)
        {
            bytes += Bytes(input);
        }

        return bytes;
    }

    private static long Bytes(Tensor x) => (long)x.Size * (x.DType == DType.Float32 ? sizeof(float) : sizeof(double));
}
