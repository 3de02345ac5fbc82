using System.Globalization;

namespace NeuralNet.Layers;

/// <summary>
/// Inverted dropout, PyTorch's <c>nn.Dropout</c>: in training mode each element is zeroed with probability p and
/// the survivors are scaled by 1/(1 − p), so the expected output equals the input; in evaluation mode the input is
/// returned as it is.
/// </summary>
/// <remarks>
/// <para>The masks come from one generator seeded at construction: each training-mode call draws a fresh mask, and
/// two layers built with the same seed draw the same sequence of masks.</para>
/// <para>The output is the input times a constant mask of 0 and 1/(1 − p), so the derivative is mask·G/(1 − p)
/// in both AD modes (G the output cotangent or the input tangent).</para>
/// </remarks>
public sealed class Dropout : Module
{
    // System.Random is not thread-safe; a layer may be called from several threads.
    private readonly Random _random;
    private readonly Lock _gate = new();

    /// <summary>Creates a dropout layer.</summary>
    /// <param name="p">The probability of zeroing an element, in [0, 1]: 0 is the identity, 1 zeroes everything.</param>
    /// <param name="seed">Seeds the generator the masks are drawn from.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is outside [0, 1] or NaN.</exception>
    public Dropout(double p = 0.5, int seed = 0)
    {
        if (!(p is >= 0.0 and <= 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, $"Dropout: p = {p.ToString(CultureInfo.InvariantCulture)} is not a probability in [0, 1].");
        }

        P = p;
        Seed = seed;
        _random = new Random(seed);
    }

    /// <summary>The probability of zeroing an element.</summary>
    public double P { get; }

    /// <summary>The seed the masks are drawn from.</summary>
    public int Seed { get; }

    /// <summary>Applies dropout in training mode; returns <paramref name="input"/> itself in evaluation mode or when p = 0.</summary>
    /// <param name="input">Any shape, either dtype.</param>
    /// <returns>A tensor of <paramref name="input"/>'s shape and dtype.</returns>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!IsTraining || P == 0.0)
        {
            return input;
        }

        // p = 1 keeps nothing; 1/(1 − p) would be infinite, and 0·∞ NaN.
        double scale = P == 1.0 ? 0.0 : 1.0 / (1.0 - P);
        Array mask = input.DType == DType.Float32 ? new float[input.Size] : new double[input.Size];
        lock (_gate)
        {
            if (mask is float[] f)
            {
                for (int i = 0; i < f.Length; i++)
                {
                    f[i] = _random.NextDouble() >= P ? (float)scale : 0f;
                }
            }
            else
            {
                var d = (double[])mask;
                for (int i = 0; i < d.Length; i++)
                {
                    d[i] = _random.NextDouble() >= P ? scale : 0.0;
                }
            }
        }

        return input * new Tensor(mask, input.Shape);
    }

    /// <summary>The probability, e.g. <c>Dropout(p=0.5)</c>.</summary>
    public override string ToString() => $"Dropout(p={P.ToString(CultureInfo.InvariantCulture)})";
}
