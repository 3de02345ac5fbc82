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
                ours = model.Forward(test.Inputs).ArgMax(1);
            }

            using var session = new InferenceSession(path);
            var images = new DenseTensor<float>(test.Inputs.ToArray<float>(), test.Inputs.Shape.ToArray());
            using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", images)]);
            float[] scores = [.. results.Single().AsEnumerable<float>()];
            int[] theirs = Tensor.FromArray(scores, test.Count, scores.Length / test.Count).ArgMax(1);
            return ours.Zip(theirs).Count(pair => pair.First != pair.Second);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
