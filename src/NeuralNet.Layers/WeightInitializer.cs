namespace NeuralNet.Layers;

/// <summary>An initialiser of a weight tensor: shape, seed, gain and dtype in, values out (the signature of
/// <see cref="Initializers.XavierUniform"/> and the other initialisers).</summary>
/// <param name="shape">The weight's shape, [out, in, …].</param>
/// <param name="seed">The seed.</param>
/// <param name="gain">The gain.</param>
/// <param name="dtype">The weight's dtype.</param>
/// <returns>The values.</returns>
public delegate Tensor WeightInitializer(Shape shape, int seed, double gain, DType? dtype);
