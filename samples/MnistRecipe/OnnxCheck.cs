using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Onnx;
using Tensor = NeuralNet.Tensor;

namespace MnistRecipeSample;

/// <summary>Exports the trained model to ONNX and compares ONNX Runtime's predictions with the library's.</summary>
public static class OnnxCheck
{
    /// <summary>The test images on which the two predict different classes (arg-max of the scores).</summary>
    /// <param name="model">The trained model.</param>
    /// <param name="test">The test set.</param>
    public static int Disagreements(Module model, Dataset test)
    {
        string path = Path.Combine(Path.GetTempPath(), $"mnist-recipe-{Environment.ProcessId}.onnx");
        model.ExportOnnx(path, test.Inputs.Gather([0]));
        try
        {
            int[] ours;
            using (NeuralNet.Autodiff.NoGrad())
            {
                model.Eval();
                ours = ArgMax(model.Forward(test.Inputs).ToArray<float>(), test.Count);
            }

            using var session = new InferenceSession(path);
            var images = new DenseTensor<float>(test.Inputs.ToArray<float>(), test.Inputs.Shape.ToArray());
            using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", images)]);
            int[] theirs = ArgMax([.. results.Single().AsEnumerable<float>()], test.Count);
            return ours.Zip(theirs).Count(pair => pair.First != pair.Second);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static int[] ArgMax(float[] scores, int rows)
    {
        int classes = scores.Length / rows;
        return [.. Enumerable.Range(0, rows).Select(r => Array.IndexOf(scores, scores.AsSpan(r * classes, classes).ToArray().Max(), r * classes) - (r * classes))];
    }
}
