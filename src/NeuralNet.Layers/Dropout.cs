using System.Globalization;

namespace NeuralNet.Layers;

/// <summary>
/// Inverted dropout, PyTorch's <c>nn.Dropout</c>: in training mode each element is zeroed with probability p and
/// the survivors are scaled by 1/(1 − p), so the expected output equals the input; in evaluation mode the input is
/// returned as it is.
/// </summary>
/// <remarks>
/// <para>Each training-mode call draws a fresh mask. The mask of the k-th draw is a pure function of the seed and k
/// (a SplitMix64 stream per draw), so two layers built with the same seed draw the same sequence of masks, and setting
/// <see cref="Draws"/> back to a saved value (resumable training) repeats the sequence from there.</para>
/// <para>The output is the input times a constant mask of 0 and 1/(1 − p), so the derivative is mask·G/(1 − p)
/// in both AD modes (G the output cotangent or the input tangent).</para>
/// </remarks>
public sealed class Dropout : Module
{
    private const ulong Golden = 0x9E3779B97F4A7C15;
    private long _draws;

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
    }

    /// <summary>The probability of zeroing an element.</summary>
    public double P { get; }

    /// <summary>The seed the masks are drawn from.</summary>
    public int Seed { get; }

    /// <summary>
    /// How many masks this layer has drawn (training-mode calls with p &gt; 0). The next call draws mask number
    /// <see cref="Draws"/>; set it to a saved value to continue a run bit for bit.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public long Draws
    {
        get => Interlocked.Read(ref _draws);
        set => Interlocked.Exchange(
            ref _draws,
            value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(Draws), value, $"Dropout: Draws {value} must be non-negative."));
    }

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

        CaptureSession.Refuse("Dropout draws a new mask at every call in training mode");

        // p = 1 keeps nothing; 1/(1 − p) would be infinite, and 0·∞ NaN.
        double scale = P == 1.0 ? 0.0 : 1.0 / (1.0 - P);

        // Claimed atomically, so that calls from several threads draw distinct masks without a lock.
        ulong stream = Mix(((ulong)(uint)Seed * Golden) ^ Mix((ulong)(Interlocked.Increment(ref _draws) - 1)));
        Array mask = input.DType == DType.Float32 ? Mask((float)scale, input.Size, stream) : Mask(scale, input.Size, stream);
        return input * new Tensor(mask, input.Shape);
    }

    /// <summary>The probability, e.g. <c>Dropout(p=0.5)</c>.</summary>
    public override string ToString() => $"Dropout(p={P.ToString(CultureInfo.InvariantCulture)})";

    private T[] Mask<T>(T scale, int size, ulong stream)
        where T : struct, System.Numerics.INumberBase<T>
    {
        var mask = new T[size];
        for (int i = 0; i < mask.Length; i++)
        {
            // The top 53 bits of element i's SplitMix64 output, as a uniform double in [0, 1).
            double u = (Mix(stream + ((ulong)(i + 1) * Golden)) >> 11) * (1.0 / (1UL << 53));
            mask[i] = u >= P ? scale : T.Zero;
        }

        return mask;
    }

    // SplitMix64's finaliser (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", 2014).
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
