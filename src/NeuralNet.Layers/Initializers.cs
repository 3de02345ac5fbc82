namespace NeuralNet.Layers;

/// <summary>
/// Weight initialisers (PyTorch's <c>torch.nn.init</c>): Xavier/Glorot and Kaiming/He, uniform and normal,
/// each reproducible for a seed.
/// </summary>
/// <remarks>
/// For a shape [out, in, k₁, k₂, …] the fans are fan_in = in·k₁·k₂·… and fan_out = out·k₁·k₂·…, as in PyTorch's
/// <c>_calculate_fan_in_and_fan_out</c>; a Dense weight [out, in] has fan_in = in and fan_out = out.
/// </remarks>
public static class Initializers
{
    /// <summary>The Kaiming gain for ReLU, √2 (PyTorch's <c>calculate_gain("relu")</c>).</summary>
    public const double ReluGain = 1.4142135623730951;

    /// <summary>
    /// Re-initialises every <see cref="Dense"/>, <see cref="Conv2d"/> and <see cref="Conv1d"/> of <paramref name="model"/>
    /// in place: its weight from <paramref name="weights"/> (e.g. <see cref="XavierUniform"/>, <see cref="KaimingNormal"/>)
    /// with <paramref name="gain"/> and seed <paramref name="seed"/> + the layer's index among those layers in
    /// <see cref="Module.Modules"/> order, and its bias to zero. Other modules (normalisation and recurrent layers,
    /// embeddings, buffers) are left as they are.
    /// </summary>
    /// <remarks>These layers start with PyTorch's <c>nn.Linear</c>/<c>nn.Conv2d</c> default, <c>kaiming_uniform_(a = √5)</c>,
    /// which is U(−1/√fan_in, 1/√fan_in) for the weight and the bias; this replaces it. A convolution's fans include its
    /// kernel (<see cref="Fans"/>).</remarks>
    /// <param name="model">The model.</param>
    /// <param name="weights">The initialiser of each weight.</param>
    /// <param name="gain">The gain passed to <paramref name="weights"/> (1 for Xavier with linear or sigmoid layers,
    /// <see cref="ReluGain"/> for Kaiming with ReLU).</param>
    /// <param name="seed">The seed of the first layer; layer k gets seed + k.</param>
    /// <returns><paramref name="model"/>.</returns>
    public static Module Initialize(Module model, WeightInitializer weights, double gain = 1.0, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(weights);
        int index = 0;
        foreach (Module module in model.Modules)
        {
            (Parameter Weight, Parameter? Bias)? layer = module switch
            {
                Dense dense => (dense.Weight, dense.Bias),
                Conv2d conv => (conv.Weight, conv.Bias),
                Conv1d conv => (conv.Weight, conv.Bias),
                _ => null,
            };
            if (layer is var (weight, bias))
            {
                weight.Assign(weights(weight.Shape, seed + index++, gain, weight.DType));
                bias?.Assign(Tensor.Zeros(bias.Shape, bias.DType));
            }
        }

        return model;
    }

    /// <summary>The fans of a weight shape of rank 2 or more.</summary>
    /// <param name="shape">The weight shape [out, in, receptive field…].</param>
    /// <returns>fan_in = shape[1]·receptive field and fan_out = shape[0]·receptive field.</returns>
    /// <exception cref="ArgumentException">The shape has fewer than 2 dimensions.</exception>
    public static (int FanIn, int FanOut) Fans(Shape shape)
    {
        if (shape.Rank < 2)
        {
            throw new ArgumentException(
                $"Initializers: fans need a shape of rank 2 or more ([out, in, ...]); got {shape}.", nameof(shape));
        }

        int receptive = 1;
        for (int i = 2; i < shape.Rank; i++)
        {
            receptive *= shape[i];
        }

        return (shape[1] * receptive, shape[0] * receptive);
    }

    /// <summary>Xavier/Glorot uniform: samples from U(−a, a).</summary>
    /// <param name="shape">The weight shape [out, in, …].</param>
    /// <param name="seed">Seeds the generator.</param>
    /// <param name="gain">The scaling factor (1 for tanh-free linear layers; PyTorch's <c>gain</c>).</param>
    /// <param name="dtype">The element type; null for <see cref="Tensor.DefaultDType"/>.</param>
    /// <remarks>a = gain·√(6 / (fan_in + fan_out)), so the variance is gain²·2 / (fan_in + fan_out) (Glorot &amp; Bengio, 2010).</remarks>
    /// <exception cref="ArgumentException">The shape has fewer than 2 dimensions.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="gain"/> is negative or not finite.</exception>
    public static Tensor XavierUniform(Shape shape, int seed = 0, double gain = 1.0, DType? dtype = null)
    {
        CheckGain(nameof(XavierUniform), gain);
        (int fanIn, int fanOut) = Fans(shape);
        double bound = gain * Math.Sqrt(6.0 / (fanIn + fanOut));
        return Tensor.RandomUniform(shape, seed, -bound, bound, dtype);
    }

    /// <summary>Xavier/Glorot normal: samples from N(0, σ²).</summary>
    /// <param name="shape">The weight shape [out, in, …].</param>
    /// <param name="seed">Seeds the generator.</param>
    /// <param name="gain">The scaling factor.</param>
    /// <param name="dtype">The element type; null for <see cref="Tensor.DefaultDType"/>.</param>
    /// <remarks>σ = gain·√(2 / (fan_in + fan_out)).</remarks>
    /// <exception cref="ArgumentException">The shape has fewer than 2 dimensions.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="gain"/> is negative or not finite.</exception>
    public static Tensor XavierNormal(Shape shape, int seed = 0, double gain = 1.0, DType? dtype = null)
    {
        CheckGain(nameof(XavierNormal), gain);
        (int fanIn, int fanOut) = Fans(shape);
        return Tensor.RandomNormal(shape, seed, 0.0, gain * Math.Sqrt(2.0 / (fanIn + fanOut)), dtype);
    }

    /// <summary>Kaiming/He uniform in fan-in mode: samples from U(−b, b).</summary>
    /// <param name="shape">The weight shape [out, in, …].</param>
    /// <param name="seed">Seeds the generator.</param>
    /// <param name="gain">The scaling factor; <see cref="ReluGain"/> (√2) by default.</param>
    /// <param name="dtype">The element type; null for <see cref="Tensor.DefaultDType"/>.</param>
    /// <remarks>
    /// b = gain·√(3 / fan_in), so the variance is gain² / fan_in (He et al., 2015). PyTorch's
    /// <c>kaiming_uniform_(w, a)</c> uses gain = √(2 / (1 + a²)); its <c>nn.Linear</c> default a = √5 gives
    /// gain = 1/√3 and b = 1/√fan_in, which is what <see cref="Dense"/> uses.
    /// </remarks>
    /// <exception cref="ArgumentException">The shape has fewer than 2 dimensions.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="gain"/> is negative or not finite.</exception>
    public static Tensor KaimingUniform(Shape shape, int seed = 0, double gain = ReluGain, DType? dtype = null)
    {
        CheckGain(nameof(KaimingUniform), gain);
        double bound = gain * Math.Sqrt(3.0 / Fans(shape).FanIn);
        return Tensor.RandomUniform(shape, seed, -bound, bound, dtype);
    }

    /// <summary>
    /// PyTorch's default initialisation of <c>nn.Linear</c>, <c>nn.ConvNd</c> and the recurrent layers, weights and
    /// biases alike: U(−1/√<paramref name="fanIn"/>, 1/√<paramref name="fanIn"/>). For a weight that is
    /// <c>kaiming_uniform_(a = √5)</c>, gain √(1/3) and bound gain·√(3/fan_in); the bound is computed directly so that
    /// rounding in that product cannot widen it.
    /// </summary>
    internal static Tensor FanInUniform(Shape shape, double fanIn, int seed, DType dtype)
    {
        double bound = 1.0 / Math.Sqrt(fanIn);
        return Tensor.RandomUniform(shape, seed, -bound, bound, dtype);
    }

    /// <summary>Kaiming/He normal in fan-in mode: samples from N(0, σ²).</summary>
    /// <param name="shape">The weight shape [out, in, …].</param>
    /// <param name="seed">Seeds the generator.</param>
    /// <param name="gain">The scaling factor; <see cref="ReluGain"/> (√2) by default.</param>
    /// <param name="dtype">The element type; null for <see cref="Tensor.DefaultDType"/>.</param>
    /// <remarks>σ = gain / √fan_in (He et al., 2015).</remarks>
    /// <exception cref="ArgumentException">The shape has fewer than 2 dimensions.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="gain"/> is negative or not finite.</exception>
    public static Tensor KaimingNormal(Shape shape, int seed = 0, double gain = ReluGain, DType? dtype = null)
    {
        CheckGain(nameof(KaimingNormal), gain);
        return Tensor.RandomNormal(shape, seed, 0.0, gain / Math.Sqrt(Fans(shape).FanIn), dtype);
    }

    /// <summary>Zeros (for biases, or a perceptron's classic start).</summary>
    /// <param name="shape">The shape.</param>
    /// <param name="dtype">The element type; null for <see cref="Tensor.DefaultDType"/>.</param>
    public static Tensor Zeros(Shape shape, DType? dtype = null) => Tensor.Zeros(shape, dtype);

    private static void CheckGain(string initializer, double gain)
    {
        if (!(gain >= 0) || double.IsInfinity(gain))
        {
            throw new ArgumentOutOfRangeException(nameof(gain), $"{initializer}: gain {gain} must be finite and non-negative.");
        }
    }
}
