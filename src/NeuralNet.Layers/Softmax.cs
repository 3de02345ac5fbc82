namespace NeuralNet.Layers;

/// <summary>The softmax eˣⁱ / Σⱼ eˣʲ along one axis (PyTorch's <c>nn.Softmax</c>), computed stably by subtracting the maximum.</summary>
/// <remarks>∂yᵢ/∂xⱼ = yᵢ(δᵢⱼ − yⱼ). To train a classifier, feed logits to <see cref="Losses.CrossEntropy(Tensor, int[], Reduction)"/> instead: it uses the log-softmax and is stable.</remarks>
public sealed class Softmax : Activation
{
    /// <summary>Creates the activation.</summary>
    /// <param name="axis">The axis that sums to 1; negative counts from the end (default: the last).</param>
    public Softmax(int axis = -1) => Axis = axis;

    /// <summary>The axis that sums to 1.</summary>
    public int Axis { get; }

    /// <summary>Applies the softmax along <see cref="Axis"/>.</summary>
    /// <exception cref="ArgumentException">The axis is out of range for the input.</exception>
    public override Tensor Forward(Tensor input) => input.Softmax(Axis);

    /// <summary>Shows the axis, e.g. <c>Softmax(axis=-1)</c>.</summary>
    public override string ToString() => FormattableString.Invariant($"Softmax(axis={Axis})");
}
