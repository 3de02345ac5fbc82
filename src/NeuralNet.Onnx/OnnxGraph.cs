using System.Runtime.InteropServices;

namespace NeuralNet.Onnx;

/// <summary>
/// The nodes and initializers of an ONNX graph as the exporter adds them, and their serialisation as an onnx.proto
/// <c>ModelProto</c>. Field numbers are onnx.proto's (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto,
/// ValueInfoProto, TypeProto, TensorShapeProto, OperatorSetIdProto).
/// </summary>
internal sealed class OnnxGraph(DType dtype)
{
    /// <summary>The opset the graph is written for (LayerNormalization needs 17).</summary>
    public const long Opset = 17;

    // ONNX IR version 8 goes with opset 17.
    private const long IrVersion = 8;

    /// <summary>onnx.proto's TensorProto.DataType of int64, the type Cast's "to" names for Gather's indices.</summary>
    public const long Int64Type = 7;

    private const int FloatType = 1, DoubleType = 11;
    private const int AttributeFloat = 1, AttributeInt = 2, AttributeInts = 7, AttributeStrings = 8;

    private readonly List<ProtoMessage> _nodes = [];
    private readonly List<ProtoMessage> _initializers = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    /// <summary>The element type of every tensor of the graph.</summary>
    public DType DType { get; } = dtype;

    /// <summary>Adds a constant under <paramref name="name"/> (a state_dict key), in the graph's dtype.</summary>
    public string Initializer(string name, Tensor value)
    {
        Claim(name);
        var tensor = new ProtoMessage();
        foreach (int dimension in value.Shape.ToArray())
        {
            tensor.Int64(1, dimension);
        }

        tensor.Int64(2, ElementType).String(8, name).Bytes(9, RawData(value));
        _initializers.Add(tensor);
        return name;
    }

    /// <summary>Adds an int64 constant of shape <paramref name="shape"/> (empty for a scalar) under <paramref name="name"/>:
    /// the indices and axes that Gather and Squeeze take as inputs.</summary>
    public string Int64Initializer(string name, long[] values, params int[] shape)
    {
        Claim(name);
        var tensor = new ProtoMessage();
        foreach (int dimension in shape)
        {
            tensor.Int64(1, dimension);
        }

        tensor.Int64(2, Int64Type).String(8, name).Bytes(9, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
        _initializers.Add(tensor);
        return name;
    }

    /// <summary>Adds a node whose one output is named <paramref name="output"/>.</summary>
    public string Node(string opType, string output, string[] inputs, params (string Name, object Value)[] attributes)
    {
        Claim(output);
        var node = new ProtoMessage();
        foreach (string input in inputs)
        {
            node.String(1, input);
        }

        node.String(2, output).String(3, output).String(4, opType);
        foreach ((string name, object value) in attributes)
        {
            var attribute = new ProtoMessage().String(1, name);
            _ = value switch
            {
                float f => attribute.Float(2, f).Int64(20, AttributeFloat),
                long i => attribute.Int64(3, i).Int64(20, AttributeInt),
                long[] ints => Ints(attribute, ints),
                string[] strings => Strings(attribute, strings),
                _ => throw new ArgumentException($"ONNX export: attribute {name} has an unsupported type {value.GetType().Name}."),
            };
            node.Message(5, attribute);
        }

        _nodes.Add(node);
        return output;
    }

    /// <summary>The ModelProto bytes: the graph with one input and one output whose first axis is the dynamic "batch".</summary>
    public byte[] ToModel(string input, int[] inputShape, string output, int[] outputShape)
    {
        var graph = new ProtoMessage();
        foreach (ProtoMessage node in _nodes)
        {
            graph.Message(1, node);
        }

        graph.String(2, "neuralnet");
        foreach (ProtoMessage initializer in _initializers)
        {
            graph.Message(5, initializer);
        }

        graph.Message(11, ValueInfo(input, inputShape)).Message(12, ValueInfo(output, outputShape));
        return new ProtoMessage()
            .Int64(1, IrVersion)
            .String(2, "NeuralNet")
            .String(3, typeof(OnnxGraph).Assembly.GetName().Version?.ToString() ?? "0")
            .Message(7, graph)
            .Message(8, new ProtoMessage().String(1, string.Empty).Int64(2, Opset))
            .ToByteArray();
    }

    private int ElementType => DType == DType.Float32 ? FloatType : DoubleType;

    // Repeated fields written one element per tag (unpacked), which every protobuf parser reads.
    private static ProtoMessage Ints(ProtoMessage attribute, long[] values)
    {
        foreach (long value in values)
        {
            attribute.Int64(8, value);
        }

        return attribute.Int64(20, AttributeInts);
    }

    private static ProtoMessage Strings(ProtoMessage attribute, string[] values)
    {
        foreach (string value in values)
        {
            attribute.String(9, value);
        }

        return attribute.Int64(20, AttributeStrings);
    }

    private ProtoMessage ValueInfo(string name, int[] shape)
    {
        var dimensions = new ProtoMessage();
        for (int axis = 0; axis < shape.Length; axis++)
        {
            dimensions.Message(1, axis == 0 ? new ProtoMessage().String(2, "batch") : new ProtoMessage().Int64(1, shape[axis]));
        }

        var tensorType = new ProtoMessage().Int64(1, ElementType).Message(2, dimensions);
        return new ProtoMessage().String(1, name).Message(2, new ProtoMessage().Message(1, tensorType));
    }

    private byte[] RawData(Tensor value)
    {
        // raw_data is little-endian, as every platform .NET runs on.
        return DType == DType.Float32
            ? MemoryMarshal.AsBytes(value.ToArray<float>().AsSpan()).ToArray()
            : MemoryMarshal.AsBytes(value.ToArray<double>().AsSpan()).ToArray();
    }

    private void Claim(string name)
    {
        if (!_names.Add(name))
        {
            throw new InvalidOperationException($"ONNX export: the name '{name}' is used twice.");
        }
    }
}
