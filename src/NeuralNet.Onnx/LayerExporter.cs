using NeuralNet.Layers;

namespace NeuralNet.Onnx;

/// <summary>Turns each built-in module into ONNX nodes, walking <see cref="Sequential"/>s, with the sample value
/// carried along so that each layer knows its input's shape. The sliding-window and recurrent layers are in their own
/// files (LayerExporter.Windows.cs, LayerExporter.Recurrent.cs).</summary>
internal sealed partial class LayerExporter(OnnxGraph graph, Module model)
{
    private readonly Dictionary<Tensor, string> _keys = new(
        model.NamedParameters.Select(p => KeyValuePair.Create((Tensor)p.Parameter, p.Name))
            .Concat(model.NamedBuffers.Select(b => KeyValuePair.Create(b.Buffer, b.Name))),
        ReferenceEqualityComparer.Instance);

    private readonly HashSet<string> _written = new(StringComparer.Ordinal);
    private int _constants;

    /// <summary>Adds the nodes of <paramref name="module"/> reading <paramref name="input"/>; returns its output's name and value.</summary>
    public (string Name, Tensor Value) Export(Module module, string path, string input, Tensor value)
    {
        if (module is Sequential sequential)
        {
            (string Name, Tensor Value) current = (input, value);
            for (int i = 0; i < sequential.Layers.Count; i++)
            {
                current = Export(sequential.Layers[i], Join(path, i.ToString(System.Globalization.CultureInfo.InvariantCulture)), current.Name, current.Value);
            }

            return current;
        }

        string output = path.Length == 0 ? module.GetType().Name : path;
        string name = module switch
        {
            Dense dense => DenseNode(dense, path, output, input, value),
            ReLU => graph.Node("Relu", output, [input]),
            Sigmoid => graph.Node("Sigmoid", output, [input]),
            Tanh => graph.Node("Tanh", output, [input]),

            // opset 17 has no Swish: x·Sigmoid(x), two nodes
            SiLU => graph.Node("Mul", output, [input, graph.Node("Sigmoid", $"{output}.sigmoid", [input])]),
            LeakyReLU leaky => LeakyNode(leaky, path, output, input),
            ELU elu => graph.Node("Elu", output, [input], ("alpha", (float)elu.Alpha)),
            Softmax softmax => graph.Node("Softmax", output, [input], ("axis", (long)softmax.Axis)),
            Identity or Dropout => graph.Node("Identity", output, [input]),
            Flatten flatten => FlattenNode(flatten, path, output, input, value),
            Unflatten unflatten => UnflattenNode(unflatten, path, output, input, value),
            BatchNorm1d norm => BatchNormNode(norm, path, output, input, value, rank: 2, "[batch, features]"),
            BatchNorm2d norm => BatchNormNode(norm, path, output, input, value, rank: 4, "[batch, channels, height, width]"),
            LayerNorm norm => graph.Node(
                "LayerNormalization",
                output,
                [input, Parameter(norm.Weight, path, "weight", Tensor.Ones([norm.Features], graph.DType)), Parameter(norm.Bias, path, "bias", Tensor.Zeros([norm.Features], graph.DType))],
                ("axis", -1L),
                ("epsilon", (float)norm.Eps)),
            Conv2d conv => ConvNode(output, input, conv.Weight, conv.Bias, Pair(conv.KernelSize), Pair(conv.Stride), Pads(conv.Padding), Pair(conv.Dilation)),
            Conv1d conv => ConvNode(output, input, conv.Weight, conv.Bias, [conv.KernelSize], [conv.Stride], [conv.Padding, conv.Padding], [conv.Dilation]),
            MaxPool2d pool => MaxPoolNode(pool, output, input),
            AvgPool2d pool => AveragePoolNode(pool, output, input),

            // The indices arrive as floats of integral value; Gather takes them as int64.
            Embedding embedding => graph.Node(
                "Gather", output, [Key(embedding.Weight), graph.Node("Cast", $"{output}.indices", [input], ("to", OnnxGraph.Int64Type))]),
            RecurrentLayer recurrent => RecurrentNode(recurrent, path, output, input, value),
            LastStep last => LastStepNode(last, output, input, value),
            _ => throw Unsupported(module, path, "no ONNX form for this module"),
        };
        return (name, module.Forward(value));
    }

    private string DenseNode(Dense dense, string path, string output, string input, Tensor value)
    {
        if (value.Rank != 2)
        {
            throw Unsupported(dense, path, $"exported for [batch, features] inputs; this one is {value.Shape}");
        }

        string[] inputs = dense.Bias is null
            ? [input, Key(dense.Weight)]
            : [input, Key(dense.Weight), Key(dense.Bias)];
        return graph.Node("Gemm", output, inputs, ("transB", 1L));
    }

    // PRelu with the slope as an initializer of the graph's dtype: LeakyRelu's alpha is a float attribute, which would
    // round a Float64 model's α (0.01 is not a float).
    private string LeakyNode(LeakyReLU leaky, string path, string output, string input) =>
        graph.Node("PRelu", output, [input, graph.Initializer($"{Join(path, "slope")}.constant{_constants++}", Tensor.Scalar(leaky.Alpha, graph.DType))]);

    private string FlattenNode(Flatten flatten, string path, string output, string input, Tensor value)
    {
        int start = flatten.StartDim < 0 ? flatten.StartDim + value.Rank : flatten.StartDim;
        int end = flatten.EndDim < 0 ? flatten.EndDim + value.Rank : flatten.EndDim;
        return start == 1 && end == value.Rank - 1
            ? graph.Node("Flatten", output, [input], ("axis", 1L))
            : throw Unsupported(flatten, path, "ONNX's Flatten merges everything from one axis on; only startDim 1 to the last axis maps to it");
    }

    // Reshape to the layer's output shape with the batch axis as 0 ("copy the input's"), so the batch stays dynamic.
    private string UnflattenNode(Unflatten unflatten, string path, string output, string input, Tensor value)
    {
        int axis = unflatten.Dim < 0 ? unflatten.Dim + value.Rank : unflatten.Dim;
        if (axis == 0)
        {
            throw Unsupported(unflatten, path, "splitting the batch axis would fix the batch size; only later axes are exported");
        }

        long[] shape = [0, .. value.Shape.ToArray()[1..axis].Select(d => (long)d), .. unflatten.Sizes.Select(s => (long)s), .. value.Shape.ToArray()[(axis + 1)..].Select(d => (long)d)];
        return graph.Node("Reshape", output, [input, graph.Int64Initializer($"{output}.shape", shape, shape.Length)]);
    }

    // ONNX's BatchNormalization takes [N, C, ...] with the statistics per channel, so one node serves both layers.
    private string BatchNormNode(BatchNorm norm, string path, string output, string input, Tensor value, int rank, string form)
    {
        if (norm.RunningMean is null || norm.RunningVar is null || value.Rank != rank)
        {
            throw Unsupported(norm, path, $"exported in evaluation form with running statistics, for {form} inputs");
        }

        return graph.Node(
            "BatchNormalization",
            output,
            [
                input,
                Parameter(norm.Weight, path, "weight", Tensor.Ones([norm.Features], graph.DType)),
                Parameter(norm.Bias, path, "bias", Tensor.Zeros([norm.Features], graph.DType)),
                Key(norm.RunningMean),
                Key(norm.RunningVar),
            ],
            ("epsilon", (float)norm.Eps));
    }

    // A learnt tensor under its state_dict key, or (a layer without affine terms) a constant of the neutral value.
    private string Parameter(Tensor? parameter, string path, string name, Tensor neutral) =>
        parameter is not null ? Key(parameter) : graph.Initializer($"{Join(path, name)}.constant{_constants++}", neutral);

    private string Key(Tensor tensor)
    {
        if (!_keys.TryGetValue(tensor, out string? key))
        {
            throw new InvalidOperationException("ONNX export: a layer's tensor is not registered in the model.");
        }

        // Each initializer once: a tied weight read by two layers is one initializer.
        return _written.Add(key) ? graph.Initializer(key, tensor) : key;
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static NotSupportedException Unsupported(Module module, string path, string why) =>
        new($"ONNX export: module '{(path.Length == 0 ? "(root)" : path)}' ({module.GetType().Name}) cannot be exported: {why}.");
}
