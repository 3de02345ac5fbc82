namespace NeuralNet.Layers;

/// <summary>
/// The checked shapes of one pass of a recurrent layer over a sequence, and the reshapes every layer shares: the input
/// projection of all steps, one step's slice of it, the initial and final states, and the stacked output.
/// </summary>
/// <remarks>An unbatched input [T, I] runs as a batch of one, time-major whatever <c>batchFirst</c> says, as in PyTorch.</remarks>
/// <param name="Batched">Whether the input has a batch axis.</param>
/// <param name="TimeAxis">The input's and output's time axis once batched: 1 for batch-first, else 0.</param>
/// <param name="Steps">The sequence length T.</param>
/// <param name="Batch">The batch size N (1 for an unbatched input).</param>
/// <param name="HiddenSize">The hidden size H.</param>
internal readonly record struct RecurrentPass(bool Batched, int TimeAxis, int Steps, int Batch, int HiddenSize)
{
    /// <summary>
    /// Checks the weights (G gate blocks of H rows each), the biases and the input against each other, and describes the pass.
    /// </summary>
    /// <param name="who">Names the layer or function in messages; formatted only when one is thrown.</param>
    /// <param name="gates">G: 1 for an RNN, 3 for a GRU, 4 for an LSTM.</param>
    /// <param name="input">[T, N, I], [N, T, I] with <paramref name="batchFirst"/>, or unbatched [T, I].</param>
    /// <param name="weightIh">[G·H, I].</param>
    /// <param name="weightHh">[G·H, H].</param>
    /// <param name="biasIh">[G·H] or null.</param>
    /// <param name="biasHh">[G·H] or null.</param>
    /// <param name="batchFirst">Whether a batched input is [N, T, I].</param>
    /// <exception cref="ArgumentException">A shape or dtype does not fit.</exception>
    public static RecurrentPass Check(
        object who, int gates, Tensor input, Tensor weightIh, Tensor weightHh, Tensor? biasIh, Tensor? biasHh, bool batchFirst)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weightIh);
        ArgumentNullException.ThrowIfNull(weightHh);
        int hidden = weightHh.Rank == 2 ? weightHh.Shape[1] : 0;
        if (hidden == 0 || weightHh.Shape[0] != gates * hidden || weightIh.Rank != 2 || weightIh.Shape[0] != gates * hidden
            || (biasIh is not null && biasIh.Shape != new Shape(gates * hidden))
            || (biasHh is not null && biasHh.Shape != new Shape(gates * hidden)))
        {
            throw new ArgumentException(
                $"{who}: weight_ih {weightIh.Shape}, weight_hh {weightHh.Shape}, bias_ih {Describe(biasIh)}, bias_hh {Describe(biasHh)} "
                + $"do not fit: expected [{gates}·H, I], [{gates}·H, H], [{gates}·H] and [{gates}·H] with H > 0.");
        }

        foreach (Tensor? other in (Tensor?[])[weightHh, biasIh, biasHh, input])
        {
            if (other is not null && other.DType != weightIh.DType)
            {
                throw new ArgumentException(
                    $"{who}: the input is {input.DType} and the weights and biases {weightIh.DType}, {weightHh.DType}, "
                    + $"{biasIh?.DType.ToString() ?? "none"}, {biasHh?.DType.ToString() ?? "none"}; all must be one dtype.", nameof(input));
            }
        }

        int inputSize = weightIh.Shape[1];
        if ((input.Rank != 2 && input.Rank != 3) || input.Shape[-1] != inputSize)
        {
            throw new ArgumentException(
                $"{who}: input {input.Shape} is not {(batchFirst ? "[N, T, " : "[T, N, ")}{inputSize}] or unbatched [T, {inputSize}].", nameof(input));
        }

        bool batched = input.Rank == 3;
        int timeAxis = batched && batchFirst ? 1 : 0;
        int steps = input.Shape[timeAxis];
        if (steps == 0)
        {
            throw new ArgumentException($"{who}: input {input.Shape} has no time steps.", nameof(input));
        }

        return new RecurrentPass(batched, timeAxis, steps, batched ? input.Shape[1 - timeAxis] : 1, hidden);
    }

    /// <summary>
    /// The initial state as a matrix [N, H]: zeros when <paramref name="state"/> is null, else the state, which must have
    /// PyTorch's shape, [1, N, H] (one layer, one direction), or [1, H] for an unbatched input.
    /// </summary>
    /// <param name="who">Names the layer or function in messages.</param>
    /// <param name="name">The state's name in messages ("h0", "c0").</param>
    /// <param name="state">The given state, or null.</param>
    /// <param name="dtype">The weights' dtype, which the state must have.</param>
    /// <exception cref="ArgumentException">The state's shape or dtype does not fit.</exception>
    public Tensor InitialState(object who, string name, Tensor? state, DType dtype)
    {
        if (state is null)
        {
            return Tensor.Zeros(new Shape(Batch, HiddenSize), dtype);
        }

        Shape expected = Batched ? new Shape(1, Batch, HiddenSize) : new Shape(1, HiddenSize);
        if (state.Shape != expected || state.DType != dtype)
        {
            throw new ArgumentException(
                $"{who}: {name} {state.Shape} {state.DType} does not fit: expected {expected} {dtype} (one layer, one direction).", nameof(state));
        }

        return state.Reshape(Batch, HiddenSize);
    }

    /// <summary>
    /// x·W_ihᵀ + b_ih for every step at once, one matrix product over the T·N rows: [T, N, G·H] (or [N, T, G·H]).
    /// </summary>
    public Tensor InputProjection(Tensor input, Tensor weightIh, Tensor? biasIh) =>
        Tensor.Linear(Batched ? input : input.Unsqueeze(1), weightIh, biasIh);

    /// <summary>The input projection cut into its steps, each a matrix [N, G·H].</summary>
    /// <remarks>A slice's derivative pads its cotangent with zeros to the size of what it was cut from, so cutting the T
    /// steps straight from the projection would cost T projection-sized tensors in the backward pass, quadratic in T.
    /// Cutting ⌈√T⌉ chunks first and the steps from each chunk costs about 2√T.</remarks>
    public Tensor[] SplitSteps(Tensor projection)
    {
        int width = projection.Shape[-1];
        int chunk = (int)Math.Ceiling(Math.Sqrt(Steps));
        var steps = new Tensor[Steps];
        for (int start = 0; start < Steps; start += chunk)
        {
            int length = Math.Min(chunk, Steps - start);
            Tensor part = projection.Slice(TimeAxis, start, length);
            for (int t = 0; t < length; t++)
            {
                steps[start + t] = part.Slice(TimeAxis, t, 1).Reshape(Batch, width);
            }
        }

        return steps;
    }

    /// <summary>The hidden states of every step, [T, N, H] (or [N, T, H], or unbatched [T, H]).</summary>
    public Tensor Output(IReadOnlyList<Tensor> hidden)
    {
        Tensor stacked = Tensor.Stack(hidden, TimeAxis);
        return Batched ? stacked : stacked.Reshape(Steps, HiddenSize);
    }

    /// <summary>A final state [N, H] in PyTorch's shape, [1, N, H] (or [1, H] unbatched).</summary>
    public Tensor FinalState(Tensor state) => Batched ? state.Reshape(1, Batch, HiddenSize) : state;

    private static string Describe(Tensor? bias) => bias is null ? "none" : bias.Shape.ToString();
}
