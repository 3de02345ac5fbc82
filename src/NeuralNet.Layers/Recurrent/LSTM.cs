namespace NeuralNet.Layers;

/// <summary>
/// A long short-term memory layer, PyTorch's <c>nn.LSTM</c> with one layer in one direction. At each step, with the
/// gates stacked in PyTorch's order i, f, g, o:
/// i = σ(W_ii x + b_ii + W_hi h + b_hi), f = σ(W_if x + b_if + W_hf h + b_hf), g = tanh(W_ig x + b_ig + W_hg h + b_hg),
/// o = σ(W_io x + b_io + W_ho h + b_ho), c' = f ⊙ c + i ⊙ g, h' = o ⊙ tanh(c').
/// </summary>
/// <remarks>
/// <para>Parameters (see <see cref="RecurrentLayer"/>): "weight_ih_l0" [4H, I], "weight_hh_l0" [4H, H], "bias_ih_l0" [4H],
/// "bias_hh_l0" [4H], each the four gates' blocks stacked in the order i, f, g, o; weights copied from PyTorch give
/// PyTorch's outputs. No projection (<c>proj_size</c>).</para>
/// <para><see cref="Forward(Tensor)"/> starts from zeros and returns every step's h, so the layer can sit in a
/// <see cref="Sequential"/> (follow it with <see cref="LastStep"/> to keep the last step);
/// <see cref="Forward(Tensor, ValueTuple{Tensor, Tensor}?)"/> takes (h₀, c₀) and also returns the final (hₙ, cₙ), as
/// PyTorch's <c>lstm(x, (h0, c0))</c>.</para>
/// <para>The input projection of all steps is one matrix product; each step does one product [N, H]·[H, 4H] and slices
/// the four gates out of it. Composed of differentiable ops, so both AD modes and higher orders work.</para>
/// </remarks>
public sealed class LSTM : RecurrentLayer
{
    /// <summary>Creates a layer with PyTorch's default initialisation, U(−1/√H, 1/√H).</summary>
    /// <param name="inputSize">I, the size of each input step; positive.</param>
    /// <param name="hiddenSize">H, the size of the hidden and cell states; positive.</param>
    /// <param name="bias">Whether to learn b_ih and b_hh.</param>
    /// <param name="batchFirst">Whether a batched input and the output are [N, T, ·] rather than [T, N, ·].</param>
    /// <param name="dtype">The element type of the parameters (inputs must match); null for <see cref="Tensor.DefaultDType"/>.</param>
    /// <param name="seed">Seeds the four parameters (seed to seed + 3).</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    public LSTM(int inputSize, int hiddenSize, bool bias = true, bool batchFirst = false, DType? dtype = null, int seed = 0)
        : base(4, inputSize, hiddenSize, bias, batchFirst, dtype, seed)
    {
    }

    /// <summary>Runs the layer from zero states and returns every step's hidden state h.</summary>
    /// <param name="input">[T, N, I] ([N, T, I] with <see cref="RecurrentLayer.BatchFirst"/>), or unbatched [T, I].</param>
    /// <returns>[T, N, H] ([N, T, H] batch-first), or [T, H].</returns>
    /// <exception cref="ArgumentException">The input's shape or dtype does not fit.</exception>
    public override Tensor Forward(Tensor input) => Forward(input, null).Output;

    /// <summary>Runs the layer from (h₀, c₀) (PyTorch's <c>lstm(input, (h0, c0))</c>).</summary>
    /// <param name="input">[T, N, I] ([N, T, I] with <see cref="RecurrentLayer.BatchFirst"/>), or unbatched [T, I].</param>
    /// <param name="state">(h₀, c₀), each [1, N, H] ([1, H] unbatched), or null for zeros.</param>
    /// <returns>Every step's h, as <see cref="Forward(Tensor)"/>, and the final state (hₙ, cₙ), each [1, N, H] ([1, H] unbatched).</returns>
    /// <exception cref="ArgumentException">The input's or a state's shape or dtype does not fit.</exception>
    public (Tensor Output, (Tensor H, Tensor C) State) Forward(Tensor input, (Tensor H, Tensor C)? state) =>
        Run(this, input, state, WeightIh, WeightHh, BiasIh, BiasHh, BatchFirst);

    /// <summary>The functional form (PyTorch's <c>torch.lstm</c> for one layer); <see cref="Forward(Tensor, ValueTuple{Tensor, Tensor}?)"/> delegates to it.</summary>
    /// <param name="input">[T, N, I] ([N, T, I] with <paramref name="batchFirst"/>), or unbatched [T, I].</param>
    /// <param name="state">(h₀, c₀), each [1, N, H] ([1, H] unbatched), or null for zeros.</param>
    /// <param name="weightIh">W_ih [4H, I], gate blocks i, f, g, o.</param>
    /// <param name="weightHh">W_hh [4H, H].</param>
    /// <param name="biasIh">b_ih [4H], or null.</param>
    /// <param name="biasHh">b_hh [4H], or null.</param>
    /// <param name="batchFirst">Whether a batched input and the output are [N, T, ·].</param>
    /// <returns>Every step's h and the final (h, c), shaped as by <see cref="Forward(Tensor, ValueTuple{Tensor, Tensor}?)"/>.</returns>
    /// <exception cref="ArgumentException">A shape or dtype does not fit.</exception>
    public static (Tensor Output, (Tensor H, Tensor C) State) Apply(
        Tensor input, (Tensor H, Tensor C)? state, Tensor weightIh, Tensor weightHh, Tensor? biasIh, Tensor? biasHh, bool batchFirst = false) =>
        Run("LSTM.Apply", input, state, weightIh, weightHh, biasIh, biasHh, batchFirst);

    /// <summary>The settings, e.g. <c>LSTM(inputSize=3, hiddenSize=4, bias=true, batchFirst=false)</c>.</summary>
    public override string ToString() => $"LSTM({Settings})";

    private static (Tensor Output, (Tensor H, Tensor C) State) Run(
        object who, Tensor input, (Tensor H, Tensor C)? state, Tensor weightIh, Tensor weightHh, Tensor? biasIh, Tensor? biasHh, bool batchFirst)
    {
        var pass = RecurrentPass.Check(who, 4, input, weightIh, weightHh, biasIh, biasHh, batchFirst);
        Tensor h = pass.InitialState(who, "h0", state?.H, weightIh.DType);
        Tensor c = pass.InitialState(who, "c0", state?.C, weightIh.DType);
        Tensor[] inputs = pass.SplitSteps(pass.InputProjection(input, weightIh, biasIh));
        int size = pass.HiddenSize;
        var hidden = new Tensor[pass.Steps];
        for (int t = 0; t < pass.Steps; t++)
        {
            Tensor gates = inputs[t] + Tensor.Linear(h, weightHh, biasHh);
            Tensor i = gates.Slice(1, 0, size).Sigmoid();
            Tensor f = gates.Slice(1, size, size).Sigmoid();
            Tensor g = gates.Slice(1, 2 * size, size).Tanh();
            Tensor o = gates.Slice(1, 3 * size, size).Sigmoid();
            c = (f * c) + (i * g);
            h = o * c.Tanh();
            hidden[t] = h;
        }

        return (pass.Output(hidden), (pass.FinalState(h), pass.FinalState(c)));
    }
}
