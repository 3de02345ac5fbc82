using NeuralNet.Layers;

namespace NeuralNet.Training;

/// <summary>A copy of a model's parameter values, to put back after early stopping.</summary>
internal sealed class WeightSnapshot
{
    private readonly Tensor[] _values;

    /// <summary>Copies the values (Detach would share the storage the optimizer keeps updating).</summary>
    public WeightSnapshot(Module model) => _values = [.. model.Parameters.Select(Copy)];

    /// <summary>Writes the copied values back into <paramref name="model"/>'s parameters, in place.</summary>
    public void Restore(Module model)
    {
        // Parameters walks the module tree on every read: take it once.
        IReadOnlyList<Parameter> parameters = model.Parameters;
        for (int i = 0; i < _values.Length; i++)
        {
            parameters[i].Assign(_values[i]);
        }
    }

    private static Tensor Copy(Parameter p) => p.DType == DType.Float32
        ? Tensor.FromSpan(p.Values<float>()).Reshape(p.Shape)
        : Tensor.FromSpan(p.Values<double>()).Reshape(p.Shape);
}
