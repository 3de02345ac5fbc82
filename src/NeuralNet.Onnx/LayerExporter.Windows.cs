using NeuralNet.Layers;

namespace NeuralNet.Onnx;

/// <summary>The sliding-window layers: convolutions as ONNX Conv, pooling as MaxPool and AveragePool, with PyTorch's
/// symmetric padding written as ONNX's [begin…, end…] pads.</summary>
internal sealed partial class LayerExporter
{
    private string ConvNode(string output, string input, Tensor weight, Tensor? bias, long[] kernel, long[] strides, long[] pads, long[] dilations)
    {
        string[] inputs = bias is null ? [input, Key(weight)] : [input, Key(weight), Key(bias)];
        return graph.Node("Conv", output, inputs, ("kernel_shape", kernel), ("strides", strides), ("pads", pads), ("dilations", dilations));
    }

    // ONNX's MaxPool, as PyTorch's, never picks a padded position (opset 10 added the dilations).
    private string MaxPoolNode(MaxPool2d pool, string output, string input) =>
        graph.Node(
            "MaxPool",
            output,
            [input],
            ("kernel_shape", Pair(pool.KernelSize)),
            ("strides", Pair(pool.Stride)),
            ("pads", Pads(pool.Padding)),
            ("dilations", Pair(pool.Dilation)));

    // The padded zeros count in each mean, PyTorch's count_include_pad=True; ONNX's default leaves them out.
    private string AveragePoolNode(AvgPool2d pool, string output, string input) =>
        graph.Node(
            "AveragePool",
            output,
            [input],
            ("kernel_shape", Pair(pool.KernelSize)),
            ("strides", Pair(pool.Stride)),
            ("pads", Pads(pool.Padding)),
            ("count_include_pad", 1L));

    private static long[] Pair(Size2 size) => [size.Height, size.Width];

    // [top, left, bottom, right]: PyTorch pads both sides of each axis alike.
    private static long[] Pads(Size2 padding) => [padding.Height, padding.Width, padding.Height, padding.Width];
}
