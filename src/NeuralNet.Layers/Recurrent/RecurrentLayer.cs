namespace NeuralNet.Layers;

/// <summary>
/// What <see cref="RNN"/>, <see cref="LSTM"/> and <see cref="GRU"/> share (PyTorch's <c>RNNBase</c>): the sizes, the
/// layout flag and the four parameters of one unidirectional layer, with PyTorch's names, shapes and initialisation.
/// </summary>
/// <remarks>
/// <para>With G gate blocks (1 for an RNN, 4 for an LSTM, 3 for a GRU), registers "weight_ih_l0" [G·H, I],
/// "weight_hh_l0" [G·H, H], then, with a bias, "bias_ih_l0" [G·H] and "bias_hh_l0" [G·H], in PyTorch's order, so that a
/// PyTorch <c>state_dict</c> of a one-layer unidirectional module loads by name. Every element starts from
/// U(−1/√H, 1/√H), PyTorch's <c>reset_parameters</c>; the four are seeded seed, seed + 1, seed + 2, seed + 3.</para>
/// <para>One layer in one direction: PyTorch's <c>num_layers</c> &gt; 1 is a <see cref="Sequential"/> of layers, and
/// <c>bidirectional</c> is not provided.</para>
/// </remarks>
public abstract class RecurrentLayer : Module
{
    /// <summary>Checks the sizes and creates the parameters.</summary>
    /// <param name="gates">G, the number of gate blocks stacked in each weight.</param>
    /// <param name="inputSize">I; positive.</param>
    /// <param name="hiddenSize">H; positive.</param>
    /// <param name="bias">Whether to learn the two biases.</param>
    /// <param name="batchFirst">Whether inputs and outputs are [N, T, ·].</param>
    /// <param name="dtype">The parameters' dtype; null for <see cref="Tensor.DefaultDType"/>.</param>
    /// <param name="seed">Seeds the four parameters (seed to seed + 3).</param>
    private protected RecurrentLayer(int gates, int inputSize, int hiddenSize, bool bias, bool batchFirst, DType? dtype, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hiddenSize);
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        BatchFirst = batchFirst;
        DType = dtype ?? Tensor.DefaultDType;
        WeightIh = Register("weight_ih_l0", new Shape(gates * hiddenSize, inputSize), seed);
        WeightHh = Register("weight_hh_l0", new Shape(gates * hiddenSize, hiddenSize), unchecked(seed + 1));
        if (bias)
        {
            BiasIh = Register("bias_ih_l0", new Shape(gates * hiddenSize), unchecked(seed + 2));
            BiasHh = Register("bias_hh_l0", new Shape(gates * hiddenSize), unchecked(seed + 3));
        }

        Parameter Register(string name, Shape shape, int parameterSeed) =>
            RegisterParameter(name, new Parameter(Initializers.FanInUniform(shape, hiddenSize, parameterSeed, DType), name));
    }

    /// <summary>I, the size of each input step.</summary>
    public int InputSize { get; }

    /// <summary>H, the size of the hidden state.</summary>
    public int HiddenSize { get; }

    /// <summary>Whether a batched input and the output are [N, T, ·] rather than [T, N, ·] (states stay [1, N, H], as in PyTorch).</summary>
    public bool BatchFirst { get; }

    /// <summary>The element type of the parameters; inputs and states must match it.</summary>
    public DType DType { get; }

    /// <summary>W_ih, the gate blocks' input weights stacked, [G·H, I] ("weight_ih_l0").</summary>
    public Parameter WeightIh { get; }

    /// <summary>W_hh, the gate blocks' hidden-state weights stacked, [G·H, H] ("weight_hh_l0").</summary>
    public Parameter WeightHh { get; }

    /// <summary>b_ih, [G·H] ("bias_ih_l0"), or null when built with <c>bias: false</c>.</summary>
    public Parameter? BiasIh { get; }

    /// <summary>b_hh, [G·H] ("bias_hh_l0"), or null when built with <c>bias: false</c>.</summary>
    public Parameter? BiasHh { get; }

    /// <summary>The settings shared by every layer, e.g. <c>inputSize=3, hiddenSize=4, bias=true, batchFirst=false</c>.</summary>
    private protected string Settings =>
        $"inputSize={InputSize}, hiddenSize={HiddenSize}, bias={(BiasIh is null ? "false" : "true")}, batchFirst={(BatchFirst ? "true" : "false")}";
}
