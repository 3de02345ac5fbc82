namespace NeuralNet.Layers;

/// <summary>
/// A gated recurrent unit layer, PyTorch's <c>nn.GRU</c> with one layer in one direction. At each step, with the gates
/// stacked in PyTorch's order r, z, n:
/// r = σ(W_ir x + b_ir + W_hr h + b_hr), z = σ(W_iz x + b_iz + W_hz h + b_hz),
/// n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)), h' = (1 − z) ⊙ n + z ⊙ h.
/// </summary>
/// <remarks>
/// <para>Parameters (see <see cref="RecurrentLayer"/>): "weight_ih_l0" [3H, I], "weight_hh_l0" [3H, H], "bias_ih_l0" [3H],
/// "bias_hh_l0" [3H], each the three gates' blocks stacked in the order r, z, n; weights copied from PyTorch give
/// PyTorch's outputs. As in PyTorch (and cuDNN), the reset gate multiplies W_hn h + b_hn, not h.</para>
/// <para><see cref="Forward(Tensor)"/> starts from zeros and returns every step's hidden state, so the layer can sit in a
/// <see cref="Sequential"/> (follow it with <see cref="LastStep"/> to keep the last step);
/// <see cref="Forward(Tensor, Tensor)"/> takes h₀ and also returns the final state, as PyTorch's <c>gru(x, h0)</c>.</para>
/// <para>The input projection of all steps is one matrix product; each step does one product [N, H]·[H, 3H] and slices
/// the gates out of it. Composed of differentiable ops, so both AD modes and higher orders work.</para>
/// </remarks>
public sealed class GRU : RecurrentLayer
{
    /// <summary>Creates a layer with PyTorch's default initialisation, U(−1/√H, 1/√H).</summary>
    /// <param name="inputSize">I, the size of each input step; positive.</param>
    /// <param name="hiddenSize">H, the size of the hidden state; positive.</param>
    /// <param name="bias">Whether to learn b_ih and b_hh.</param>
    /// <param name="batchFirst">Whether a batched input and the output are [N, T, ·] rather than [T, N, ·].</param>
    /// <param name="dtype">The element type of the parameters (inputs must match); null for <see cref="Tensor.DefaultDType"/>.</param>
    /// <param name="seed">Seeds the four parameters (seed to seed + 3).</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    public GRU(int inputSize, int hiddenSize, bool bias = true, bool batchFirst = false, DType? dtype = null, int seed = 0)
        : base(3, inputSize, hiddenSize, bias, batchFirst, dtype, seed)
    {
    }

    /// <summary>Runs the layer from a zero state and returns every step's hidden state.</summary>
    /// <param name="input">[T, N, I] ([N, T, I] with <see cref="RecurrentLayer.BatchFirst"/>), or unbatched [T, I].</param>
    /// <returns>[T, N, H] ([N, T, H] batch-first), or [T, H].</returns>
    /// <exception cref="ArgumentException">The input's shape or dtype does not fit.</exception>
    public override Tensor Forward(Tensor input) => Forward(input, null).Output;

    /// <summary>Runs the layer from <paramref name="h0"/> (PyTorch's <c>gru(input, h0)</c>).</summary>
    /// <param name="input">[T, N, I] ([N, T, I] with <see cref="RecurrentLayer.BatchFirst"/>), or unbatched [T, I].</param>
    /// <param name="h0">The initial hidden state [1, N, H] ([1, H] unbatched), or null for zeros.</param>
    /// <returns>Every step's hidden state, as <see cref="Forward(Tensor)"/>, and the last one, hₙ [1, N, H] ([1, H] unbatched).</returns>
    /// <exception cref="ArgumentException">The input's or state's shape or dtype does not fit.</exception>
    public (Tensor Output, Tensor H) Forward(Tensor input, Tensor? h0) =>
        Run(this, input, h0, WeightIh, WeightHh, BiasIh, BiasHh, BatchFirst);

    /// <summary>The functional form (PyTorch's <c>torch.gru</c> for one layer); <see cref="Forward(Tensor, Tensor)"/> delegates to it.</summary>
    /// <param name="input">[T, N, I] ([N, T, I] with <paramref name="batchFirst"/>), or unbatched [T, I].</param>
    /// <param name="h0">[1, N, H] ([1, H] unbatched), or null for zeros.</param>
    /// <param name="weightIh">W_ih [3H, I], gate blocks r, z, n.</param>
    /// <param name="weightHh">W_hh [3H, H].</param>
    /// <param name="biasIh">b_ih [3H], or null.</param>
    /// <param name="biasHh">b_hh [3H], or null.</param>
    /// <param name="batchFirst">Whether a batched input and the output are [N, T, ·].</param>
    /// <returns>Every step's hidden state and the final one, shaped as by <see cref="Forward(Tensor, Tensor)"/>.</returns>
    /// <exception cref="ArgumentException">A shape or dtype does not fit.</exception>
    public static (Tensor Output, Tensor H) Apply(
        Tensor input, Tensor? h0, Tensor weightIh, Tensor weightHh, Tensor? biasIh, Tensor? biasHh, bool batchFirst = false) =>
        Run("GRU.Apply", input, h0, weightIh, weightHh, biasIh, biasHh, batchFirst);

    /// <summary>The settings, e.g. <c>GRU(inputSize=3, hiddenSize=4, bias=true, batchFirst=false)</c>.</summary>
    public override string ToString() => $"GRU({Settings})";

    private static (Tensor Output, Tensor H) Run(
        object who, Tensor input, Tensor? h0, Tensor weightIh, Tensor weightHh, Tensor? biasIh, Tensor? biasHh, bool batchFirst)
    {
        var pass = RecurrentPass.Check(who, 3, input, weightIh, weightHh, biasIh, biasHh, batchFirst);
        Tensor h = pass.InitialState(who, nameof(h0), h0, weightIh.DType);
        Tensor[] inputs = pass.SplitSteps(pass.InputProjection(input, weightIh, biasIh));
        int size = pass.HiddenSize;
        var hidden = new Tensor[pass.Steps];
        for (int t = 0; t < pass.Steps; t++)
        {
            Tensor x = inputs[t];
            Tensor recurrent = Tensor.Linear(h, weightHh, biasHh);
            Tensor rz = (x.Slice(1, 0, 2 * size) + recurrent.Slice(1, 0, 2 * size)).Sigmoid();
            Tensor r = rz.Slice(1, 0, size);
            Tensor z = rz.Slice(1, size, size);
            Tensor n = (x.Slice(1, 2 * size, size) + (r * recurrent.Slice(1, 2 * size, size))).Tanh();

            // (1 − z) ⊙ n + z ⊙ h written as n + z ⊙ (h − n), as PyTorch's cell computes it: one op fewer, and rounded as PyTorch rounds it.
            h = n + (z * (h - n));
            hidden[t] = h;
        }

        return (pass.Output(hidden), pass.FinalState(h));
    }
}
