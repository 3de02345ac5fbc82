using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralNet;

/// <summary>
/// log1p, expm1 and tanh accurate to a few ulps relative, also near 0. TensorPrimitives 10 computes LogP1 as
/// log(1 + x), ExpM1 as exp(x) − 1 and Tanh through exponentials, so near 0 they lose most of their relative
/// precision (ExpM1(−0.035f) is off by about 20 ulps, Tanh(1e−3f) by 2.7·10⁻⁵ relative, and LogP1 of 10⁻⁴⁴ in
/// double returns 0). These kernels keep TensorPrimitives for the transcendental passes and correct them: log1p with
/// the classic rearrangement (Goldberg, "What every computer scientist should know about floating-point
/// arithmetic", 1991, theorem 4), selecting the limit case where it divides by 0; expm1 with its Taylor series near 0.
/// Source and destination must not overlap.
/// </summary>
internal static class AccurateMath
{
    /// <summary>
    /// log(1 + x) = log(u)·x/(u − 1) with u = 1 + x rounded: the rounding error of u cancels in the ratio. Where
    /// u − 1 is 0 (|x| below half an ulp of 1) the answer is x itself, as it is for +∞; below −1 it is NaN (IEEE),
    /// −∞ included.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Log1p<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        using var scratch = new Scratch<T>(x.Length);
        Span<T> ratio = scratch.Span;
        TP.Add(x, T.One, ratio);
        TP.Log(ratio, destination);
        TP.Subtract(ratio, T.One, ratio);
        TP.Divide(x, ratio, ratio);
        TP.Multiply(destination, ratio, destination);

        // The ratio is not finite exactly where u − 1 = 0 (or x = +∞): there log1p(x) = x.
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= x.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var r = new Vector<T>(ratio[i..]);
                var vx = new Vector<T>(x[i..]);
                Vector<T> finite = Vector.Equals(r - r, Vector<T>.Zero);
                Vector<T> result = Vector.ConditionalSelect(finite, new Vector<T>(destination[i..]), vx);
                Vector.ConditionalSelect(Vector.LessThan(vx, new Vector<T>(-T.One)), new Vector<T>(T.NaN), result).CopyTo(destination[i..]);
            }
        }

        for (; i < x.Length; i++)
        {
            if (x[i] < -T.One)
            {
                destination[i] = T.NaN;
            }
            else if (!T.IsFinite(ratio[i]))
            {
                destination[i] = x[i];
            }
        }
    }

    /// <summary>
    /// eˣ − 1: for |x| &lt; 1 its Taylor series x + x²/2! + … + xᴺ/N! by Horner's rule (N = 18 in double, 11 in float,
    /// so the first term left out is below half an ulp of the result; the series alternates at worst for x near −1,
    /// where it loses under 2 ulps), and beyond that exp(x) − 1, where nothing cancels. One exponential pass and one
    /// polynomial pass: the exp-and-log correction (Kahan's) it replaces made five, one of them a logarithm. The result
    /// is held at −1, its bound; NaN stays NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Expm1<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        TP.Exp(x, destination);
        int terms = typeof(T) == typeof(float) ? 11 : 18;
        Span<T> coefficients = stackalloc T[terms + 1];
        for (int k = 0; k <= terms; k++)
        {
            coefficients[k] = T.CreateChecked(InverseFactorials[k]);
        }

        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= x.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var vx = new Vector<T>(x[i..]);
                Vector<T> series = new(coefficients[terms]);
                for (int k = terms - 1; k >= 1; k--)
                {
                    series = (series * vx) + new Vector<T>(coefficients[k]);
                }

                Vector<T> small = Vector.LessThan(Vector.Abs(vx), Vector<T>.One);
                Vector<T> result = Vector.ConditionalSelect(small, series * vx, new Vector<T>(destination[i..]) - Vector<T>.One);
                Vector.ConditionalSelect(Vector.LessThan(result, -Vector<T>.One), -Vector<T>.One, result).CopyTo(destination[i..]);
            }
        }

        for (; i < x.Length; i++)
        {
            T v = x[i], result;
            if (T.Abs(v) < T.One)
            {
                T series = coefficients[terms];
                for (int k = terms - 1; k >= 1; k--)
                {
                    series = (series * v) + coefficients[k];
                }

                result = series * v;
            }
            else
            {
                result = destination[i] - T.One;
            }

            destination[i] = result < -T.One ? -T.One : result;
        }
    }

    /// <summary>1/k! for k = 0..18, each the double nearest the exact value.</summary>
    private static readonly double[] InverseFactorials = BuildInverseFactorials(18);

    private static double[] BuildInverseFactorials(int count)
    {
        // k! is exact in double up to 18! (6.4·10¹⁵ < 2⁵³), so each 1/k! is one correctly rounded division.
        var result = new double[count + 1];
        double factorial = 1;
        for (int k = 0; k <= count; k++)
        {
            factorial *= k == 0 ? 1 : k;
            result[k] = 1 / factorial;
        }

        return result;
    }

    /// <summary>tanh(x) = −t/(t + 2)·sign(x) with t = expm1(−2|x|): no cancellation near 0, and ±1 without overflow.</summary>
    public static void Tanh<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        using var scratch = new Scratch<T>(x.Length);
        Span<T> t = scratch.Span;
        TP.Abs(x, destination);
        TP.Multiply(destination, T.CreateChecked(-2), destination);
        Expm1<T>(destination, t);
        TP.Add(t, T.CreateChecked(2), destination);
        TP.Divide(t, destination, destination);
        TP.Negate(destination, destination);
        TP.CopySign(destination, x, destination);
    }
}
