namespace NeuralNet.Layers;

/// <summary>
/// An Elman recurrent layer, PyTorch's <c>nn.RNN</c> with one layer in one direction: at each step t,
/// hₜ = act(W_ih xₜ + b_ih + W_hh hₜ₋₁ + b_hh), with act tanh (the default) or ReLU.
/// </summary>
/// <remarks>
/// <para>Parameters (see <see cref="RecurrentLayer"/>): "weight_ih_l0" [H, I], "weight_hh_l0" [H, H], "bias_ih_l0" [H],
/// "bias_hh_l0" [H]; weights copied from PyTorch give PyTorch's outputs.</para>
/// <para><see cref="Forward(Tensor)"/> starts from zeros and returns every step's hidden state, so the layer can sit in a
/// <see cref="Sequential"/> (follow it with <see cref="LastStep"/> to keep the last step);
/// <see cref="Forward(Tensor, Tensor)"/> takes h₀ and also returns the final state, as PyTorch's <c>rnn(x, h0)</c>.</para>
/// <para>The input projection of all steps is one matrix product; the loop over time does one per step. Composed of
/// differentiable ops, so both AD modes and higher orders work.</para>
/// </remarks>
public sealed class RNN : RecurrentLayer
{
    /// <summary>Creates a layer with PyTorch's default initialisation, U(−1/√H, 1/√H).</summary>
    /// <param name="inputSize">I, the size of each input step; positive.</param>
    /// <param name="hiddenSize">H, the size of the hidden state; positive.</param>
    /// <param name="nonlinearity">The activation: tanh (PyTorch's default) or ReLU.</param>
    /// <param name="bias">Whether to learn b_ih and b_hh.</param>
    /// <param name="batchFirst">Whether a batched input and the output are [N, T, ·] rather than [T, N, ·].</param>
    /// <param name="dtype">The element type of the parameters (inputs must match); null for <see cref="Tensor.DefaultDType"/>.</param>
    /// <param name="seed">Seeds the four parameters (seed to seed + 3).</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, or the nonlinearity is not defined.</exception>
    public RNN(
        int inputSize, int hiddenSize, RnnNonlinearity nonlinearity = RnnNonlinearity.Tanh, bool bias = true, bool batchFirst = false,
        DType? dtype = null, int seed = 0)
        : base(1, inputSize, hiddenSize, bias, batchFirst, dtype, seed)
    {
        if (!Enum.IsDefined(nonlinearity))
        {
            throw new ArgumentOutOfRangeException(nameof(nonlinearity), nonlinearity, "RNN: the nonlinearity must be Tanh or Relu.");
        }

        Nonlinearity = nonlinearity;
    }

    /// <summary>The activation of the hidden state.</summary>
    public RnnNonlinearity Nonlinearity { get; }

    /// <summary>Runs the layer from a zero state and returns every step's hidden state.</summary>
    /// <param name="input">[T, N, I] ([N, T, I] with <see cref="RecurrentLayer.BatchFirst"/>), or unbatched [T, I].</param>
    /// <returns>[T, N, H] ([N, T, H] batch-first), or [T, H].</returns>
    /// <exception cref="ArgumentException">The input's shape or dtype does not fit.</exception>
    public override Tensor Forward(Tensor input) => Forward(input, null).Output;

    /// <summary>Runs the layer from <paramref name="h0"/> (PyTorch's <c>rnn(input, h0)</c>).</summary>
    /// <param name="input">[T, N, I] ([N, T, I] with <see cref="RecurrentLayer.BatchFirst"/>), or unbatched [T, I].</param>
    /// <param name="h0">The initial hidden state [1, N, H] ([1, H] unbatched), or null for zeros.</param>
    /// <returns>Every step's hidden state, as <see cref="Forward(Tensor)"/>, and the last one, hₙ [1, N, H] ([1, H] unbatched).</returns>
    /// <exception cref="ArgumentException">The input's or state's shape or dtype does not fit.</exception>
    public (Tensor Output, Tensor H) Forward(Tensor input, Tensor? h0) =>
        Run(this, input, h0, WeightIh, WeightHh, BiasIh, BiasHh, Nonlinearity, BatchFirst);

    /// <summary>The functional form (PyTorch's <c>torch.rnn_tanh</c>/<c>rnn_relu</c> for one layer); <see cref="Forward(Tensor, Tensor)"/> delegates to it.</summary>
    /// <param name="input">[T, N, I] ([N, T, I] with <paramref name="batchFirst"/>), or unbatched [T, I].</param>
    /// <param name="h0">[1, N, H] ([1, H] unbatched), or null for zeros.</param>
    /// <param name="weightIh">W_ih [H, I].</param>
    /// <param name="weightHh">W_hh [H, H].</param>
    /// <param name="biasIh">b_ih [H], or null.</param>
    /// <param name="biasHh">b_hh [H], or null.</param>
    /// <param name="nonlinearity">The activation.</param>
    /// <param name="batchFirst">Whether a batched input and the output are [N, T, ·].</param>
    /// <returns>Every step's hidden state and the final one, shaped as by <see cref="Forward(Tensor, Tensor)"/>.</returns>
    /// <exception cref="ArgumentException">A shape or dtype does not fit.</exception>
    public static (Tensor Output, Tensor H) Apply(
        Tensor input, Tensor? h0, Tensor weightIh, Tensor weightHh, Tensor? biasIh, Tensor? biasHh,
        RnnNonlinearity nonlinearity = RnnNonlinearity.Tanh, bool batchFirst = false) =>
        Run("RNN.Apply", input, h0, weightIh, weightHh, biasIh, biasHh, nonlinearity, batchFirst);

    /// <summary>The settings, e.g. <c>RNN(inputSize=3, hiddenSize=4, bias=true, batchFirst=false, nonlinearity=tanh)</c>.</summary>
    public override string ToString() => $"RNN({Settings}, nonlinearity={(Nonlinearity == RnnNonlinearity.Tanh ? "tanh" : "relu")})";

    private static (Tensor Output, Tensor H) Run(
        object who, Tensor input, Tensor? h0, Tensor weightIh, Tensor weightHh, Tensor? biasIh, Tensor? biasHh,
        RnnNonlinearity nonlinearity, bool batchFirst)
    {
        var pass = RecurrentPass.Check(who, 1, input, weightIh, weightHh, biasIh, biasHh, batchFirst);
        Tensor h = pass.InitialState(who, nameof(h0), h0, weightIh.DType);
        Tensor[] inputs = pass.SplitSteps(pass.InputProjection(input, weightIh, biasIh));
        var hidden = new Tensor[pass.Steps];
        for (int t = 0; t < pass.Steps; t++)
        {
            Tensor preactivation = inputs[t] + Tensor.Linear(h, weightHh, biasHh);
            h = nonlinearity == RnnNonlinearity.Tanh ? preactivation.Tanh() : preactivation.Relu();
            hidden[t] = h;
        }

        return (pass.Output(hidden), pass.FinalState(h));
    }
}
