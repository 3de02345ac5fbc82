namespace NeuralNet.Onnx.Tests;

using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using NeuralNet;
using NeuralNet.Layers;
using NeuralNet.Onnx;
using Tensor = NeuralNet.Tensor;

/// <summary>Exports a model, runs the file in ONNX Runtime and compares each output with the library's forward pass.</summary>
internal static class OnnxAgreement
{
    /// <summary>Exports <paramref name="model"/> from <paramref name="sample"/> to <paramref name="path"/> and checks that
    /// ONNX Runtime gives the model's evaluation-mode output for every one of <paramref name="inputs"/> (which may differ
    /// from the sample on the first axis only, the graph's dynamic one).</summary>
    public static void Check(Module model, string path, Tensor sample, params Tensor[] inputs)
    {
        model.ExportOnnx(path, sample);
        model.Eval();
        using var session = new InferenceSession(path);
        foreach (Tensor x in inputs)
        {
            double[] expected = model.Forward(x).ToArray<double>();
            double[] actual = Run(session, x);
            actual.Should().HaveCount(expected.Length);
            double tolerance = x.DType == DType.Float32 ? 1e-5 : 1e-12;
            for (int i = 0; i < expected.Length; i++)
            {
                actual[i].Should().BeApproximately(expected[i], tolerance * Math.Max(1, Math.Abs(expected[i])), $"element {i} of an input {x.Shape}");
            }
        }
    }

    /// <summary>The graph's one output for the input <paramref name="x"/>, flattened.</summary>
    public static double[] Run(InferenceSession session, Tensor x)
    {
        int[] dims = x.Shape.ToArray();
        NamedOnnxValue input = x.DType == DType.Float32
            ? NamedOnnxValue.CreateFromTensor("input", new DenseTensor<float>(x.ToArray<float>(), dims))
            : NamedOnnxValue.CreateFromTensor("input", new DenseTensor<double>(x.ToArray<double>(), dims));
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = session.Run([input]);
        return x.DType == DType.Float32
            ? [.. results.Single().AsEnumerable<float>().Select(v => (double)v)]
            : [.. results.Single().AsEnumerable<double>()];
    }
}
