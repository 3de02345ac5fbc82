namespace NeuralNet.Layers;

/// <summary>
/// Rosenblatt's perceptron: a linear threshold unit ŷ = step(w·x + b) with 0/1 outputs, trained by the
/// perceptron learning rule rather than by gradients.
/// </summary>
/// <remarks>
/// <para>step(z) = 1 for z &gt; 0, else 0 (Heaviside; so the zero-initialised perceptron first predicts 0).</para>
/// <para>The learning rule, for each sample in order: w ← w + η(y − ŷ)x and b ← b + η(y − ŷ). It changes the
/// parameters only on a mistake. If the two classes are linearly separable it reaches an epoch with no mistakes
/// after finitely many updates (Novikoff's convergence theorem); otherwise (XOR) it never does.</para>
/// <para>The step has derivative 0 almost everywhere, so <see cref="Forward"/> returns a constant; for
/// gradient training use a <see cref="Dense"/> layer with <see cref="Losses.BinaryCrossEntropyWithLogits"/>.
/// The parameters are Float64, registered as "weight" then "bias".</para>
/// </remarks>
public sealed class Perceptron : Module
{
    /// <summary>Creates a perceptron with zero weights and bias (the classic start).</summary>
    /// <param name="inFeatures">The number of inputs; positive.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="inFeatures"/> is not positive.</exception>
    public Perceptron(int inFeatures)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inFeatures);
        InFeatures = inFeatures;
        Weight = RegisterParameter("weight", new Parameter(Initializers.Zeros(new Shape(inFeatures), DType.Float64), "weight"));
        Bias = RegisterParameter("bias", new Parameter(Initializers.Zeros(Shape.ScalarShape, DType.Float64), "bias"));
    }

    /// <summary>The number of inputs.</summary>
    public int InFeatures { get; }

    /// <summary>The weights w, shape [in], Float64.</summary>
    public Parameter Weight { get; }

    /// <summary>The bias b, a scalar, Float64.</summary>
    public Parameter Bias { get; }

    /// <summary>The predictions step(w·x + b) as a constant Float64 tensor of 0s and 1s.</summary>
    /// <param name="input">One sample [in] (giving a scalar) or a batch [n, in] (giving [n]).</param>
    /// <exception cref="ArgumentException">The input is not [in] or [n, in].</exception>
    public override Tensor Forward(Tensor input)
    {
        int[] predictions = Predict(input);
        Tensor result = Tensor.FromArray(predictions.Select(p => (double)p).ToArray());
        return input.Rank == 1 ? result.Reshape([]) : result;
    }

    /// <summary>The predicted class, 0 or 1, of each sample.</summary>
    /// <param name="input">One sample [in] (one prediction) or a batch [n, in].</param>
    /// <exception cref="ArgumentException">The input is not [in] or [n, in].</exception>
    public int[] Predict(Tensor input)
    {
        double[][] rows = Rows(nameof(Predict), input);
        return [.. rows.Select(Classify)];
    }

    /// <summary>Runs the perceptron learning rule over the samples, in order, for up to <paramref name="epochs"/> passes.</summary>
    /// <param name="inputs">The samples, shape [n, in].</param>
    /// <param name="labels">The class of each sample, 0 or 1.</param>
    /// <param name="epochs">The most passes to make; training stops after the first pass with no mistakes.</param>
    /// <param name="learningRate">The step η; positive and finite.</param>
    /// <returns>The number of mistakes (updates) in each pass made; a final 0 means the data are separated.</returns>
    /// <remarks>w ← w + η(y − ŷ)x and b ← b + η(y − ŷ), with ŷ predicted just before the update.</remarks>
    /// <exception cref="ArgumentException">The shapes do not fit, or a label is not 0 or 1.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epochs"/> is negative or <paramref name="learningRate"/> is not positive and finite.</exception>
    public int[] Fit(Tensor inputs, int[] labels, int epochs, double learningRate = 1.0)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegative(epochs);
        if (!(learningRate > 0) || double.IsInfinity(learningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(learningRate), $"Perceptron.Fit: learning rate {learningRate} must be positive and finite.");
        }

        double[][] rows = inputs.Rank == 2
            ? Rows(nameof(Fit), inputs)
            : throw new ArgumentException($"Perceptron.Fit: inputs {inputs.Shape} must be [n, {InFeatures}].", nameof(inputs));
        if (rows.Length != labels.Length)
        {
            throw new ArgumentException($"Perceptron.Fit: {labels.Length} labels for inputs {inputs.Shape}.", nameof(labels));
        }

        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] is not (0 or 1))
            {
                throw new ArgumentException($"Perceptron.Fit: label {labels[i]} (at position {i}) must be 0 or 1.", nameof(labels));
            }
        }

        Span<double> w = Weight.AsSpan<double>();
        Span<double> b = Bias.AsSpan<double>();
        var mistakes = new List<int>();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            int count = 0;
            for (int i = 0; i < rows.Length; i++)
            {
                int error = labels[i] - Classify(rows[i]);
                if (error != 0)
                {
                    count++;
                    TP.MultiplyAdd(rows[i], learningRate * error, w, w);
                    b[0] += learningRate * error;
                }
            }

            mistakes.Add(count);
            if (count == 0)
            {
                break;
            }
        }

        return [.. mistakes];
    }

    /// <summary>The size, e.g. <c>Perceptron(in=2)</c>.</summary>
    public override string ToString() => $"Perceptron(in={InFeatures})";

    private int Classify(double[] x) =>
        TP.Dot(x, Weight.Values<double>()) + Bias.Values<double>()[0] > 0 ? 1 : 0;

    private double[][] Rows(string method, Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank is not (1 or 2) || input.Shape[-1] != InFeatures)
        {
            throw new ArgumentException($"{this}.{method}: input {input.Shape} must be [{InFeatures}] or [n, {InFeatures}].", nameof(input));
        }

        double[] values = input.ToArray<double>();
        return [.. values.Chunk(InFeatures)];
    }
}
