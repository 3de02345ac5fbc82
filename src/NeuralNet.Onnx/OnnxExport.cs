using NeuralNet.Layers;

namespace NeuralNet.Onnx;

/// <summary>Writes a model as an ONNX graph (opset 17) that ONNX Runtime and other ONNX tools run.</summary>
public static class OnnxExport
{
    /// <summary>
    /// Exports <paramref name="model"/> in its evaluation form to an ONNX file: Dropout is the identity and
    /// BatchNorm1d and BatchNorm2d use their running statistics. The graph's input is "input" and its output "output", both with a
    /// dynamic first axis "batch"; initializers are named by the model's state_dict keys ("0.weight", "1.running_mean"),
    /// but for the recurrent layers, whose weights ONNX stacks in another gate order: theirs are "{path}.W", "{path}.R"
    /// and "{path}.B", the operator's inputs. The file is written beside the target and renamed over it, so a failed
    /// export leaves no partial file.
    /// </summary>
    /// <remarks>The dynamic axis is the input's first whatever it means: for a time-major ([T, N, ·]) sequence model it is
    /// the sequence length, and the batch size is fixed at the sample's.</remarks>
    /// <param name="model">The model: built-in layers and activations in <see cref="Sequential"/>s of any depth.</param>
    /// <param name="path">The .onnx file to write.</param>
    /// <param name="sampleInput">An input of the shape and dtype the model takes (its first axis is the batch); the
    /// export runs it through the model, in evaluation mode, to know every layer's input.</param>
    /// <exception cref="NotSupportedException">A module has no ONNX form here; the message names its path and type.</exception>
    public static void ExportOnnx(this Module model, string path, Tensor sampleInput)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(sampleInput);
        (Module Module, bool Training)[] modes = [.. model.Modules.Select(m => (m, m.IsTraining))];
        byte[] bytes;
        try
        {
            model.Eval();
            var graph = new OnnxGraph(sampleInput.DType);
            var exporter = new LayerExporter(graph, model);
            Tensor output;
            string outputName;
            using (Autodiff.NoGrad())
            {
                (outputName, output) = exporter.Export(model, string.Empty, "input", sampleInput);
            }

            outputName = graph.Node("Identity", "output", [outputName]);
            bytes = graph.ToModel("input", sampleInput.Shape.ToArray(), outputName, output.Shape.ToArray());
        }
        finally
        {
            // Modules are listed parents first, so each child's own mode is set after its parent's.
            foreach ((Module module, bool training) in modes)
            {
                module.Train(training);
            }
        }

        string full = Path.GetFullPath(path);
        string temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
