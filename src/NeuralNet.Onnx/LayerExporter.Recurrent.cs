using NeuralNet.Layers;

namespace NeuralNet.Onnx;

/// <summary>The recurrent layers as ONNX's RNN, LSTM and GRU operators, and <see cref="LastStep"/> as a Gather.</summary>
/// <remarks>ONNX stacks the gate blocks in another order than PyTorch, so W, R and B are new initializers, named
/// "{path}.W", "{path}.R" and "{path}.B" after the operator's inputs, rather than the state_dict's tensors.</remarks>
internal sealed partial class LayerExporter
{
    // ONNX's gate blocks as indices of PyTorch's: LSTM i, o, f, c of PyTorch's i, f, g, o; GRU z, r, h of r, z, n.
    private static readonly int[] LstmGates = [0, 3, 1, 2], GruGates = [1, 0, 2], RnnGates = [0];

    private string RecurrentNode(RecurrentLayer layer, string path, string output, string input, Tensor value)
    {
        // LSTM's default activations (σ, tanh, tanh) are PyTorch's.
        (string Op, int[] Gates, (string, object)[] Form) kind = layer switch
        {
            LSTM => ("LSTM", LstmGates, []),

            // PyTorch's reset gate multiplies W_hn h + b_hn, ONNX's linear_before_reset form.
            GRU => ("GRU", GruGates, [("linear_before_reset", 1L)]),
            RNN rnn => ("RNN", RnnGates, [("activations", new[] { rnn.Nonlinearity == RnnNonlinearity.Tanh ? "Tanh" : "Relu" })]),
            _ => throw Unsupported(layer, path, "no ONNX form for this recurrent layer"),
        };
        (string op, int[] gates, (string, object)[] form) = kind;

        // X is [T, N, I] (layout 0, which every runtime implements): a batch-first input is transposed, and an unbatched
        // [T, I], time-major whatever batchFirst says, gets N = 1.
        bool batched = value.Rank == 3;
        string x = !batched
            ? graph.Node("Unsqueeze", $"{output}.x", [input, Axes($"{output}.x.axes", 1)])
            : layer.BatchFirst ? graph.Node("Transpose", $"{output}.x", [input], ("perm", SwapTimeAndBatch)) : input;
        string[] inputs = [x, Gates(Join(path, "W"), layer.WeightIh, gates), Gates(Join(path, "R"), layer.WeightHh, gates)];
        if (layer.BiasIh is { } biasIh && layer.BiasHh is { } biasHh)
        {
            inputs = [.. inputs, GateBiases(Join(path, "B"), biasIh, biasHh, gates)];
        }

        // Y is [T, num_directions = 1, N, H]; PyTorch's output has no direction axis.
        string y = graph.Node(op, $"{output}.y", inputs, [("hidden_size", (long)layer.HiddenSize), .. form]);
        if (!batched)
        {
            return graph.Node("Squeeze", output, [y, Axes($"{output}.axes", 1, 2)]);
        }

        if (!layer.BatchFirst)
        {
            return graph.Node("Squeeze", output, [y, Axes($"{output}.axes", 1)]);
        }

        string sequence = graph.Node("Squeeze", $"{output}.sequence", [y, Axes($"{output}.axes", 1)]);
        return graph.Node("Transpose", output, [sequence], ("perm", SwapTimeAndBatch));
    }

    // A scalar index drops the time axis, as the layer's slice and squeeze do.
    private string LastStepNode(LastStep last, string output, string input, Tensor value) =>
        graph.Node(
            "Gather",
            output,
            [input, graph.Int64Initializer($"{output}.index", [-1])],
            ("axis", value.Rank == 3 && last.BatchFirst ? 1L : 0L));

    private static long[] SwapTimeAndBatch => [1, 0, 2];

    private string Axes(string name, params long[] axes) => graph.Int64Initializer(name, axes, axes.Length);

    // [G·H, ·] in PyTorch's gate order to [1, G·H, ·] in ONNX's: one direction.
    private string Gates(string name, Tensor weight, int[] gates) => graph.Initializer(name, Reorder(weight, gates).Unsqueeze(0));

    // ONNX's B is [1, 2·G·H]: the input biases (Wb) then the hidden ones (Rb).
    private string GateBiases(string name, Tensor biasIh, Tensor biasHh, int[] gates) =>
        graph.Initializer(name, Tensor.Concatenate([Reorder(biasIh, gates), Reorder(biasHh, gates)]).Unsqueeze(0));

    private static Tensor Reorder(Tensor stacked, int[] gates)
    {
        int size = stacked.Shape[0] / gates.Length;
        return Tensor.Concatenate([.. gates.Select(g => stacked.Slice(0, g * size, size))]);
    }
}
