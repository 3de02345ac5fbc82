using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralNet;

/// <summary>
/// log1p, expm1 and tanh accurate to a few ulps relative, also near 0. TensorPrimitives 10 computes LogP1 as
/// log(1 + x), ExpM1 as exp(x) − 1 and Tanh through exponentials, so near 0 they lose most of their relative
/// precision (ExpM1(−0.035f) is off by about 20 ulps, Tanh(1e−3f) by 2.7·10⁻⁵ relative, and LogP1 of 10⁻⁴⁴ in
/// double returns 0). These kernels keep TensorPrimitives for the transcendental passes and correct them with
/// the classic rearrangements (Goldberg, "What every computer scientist should know about floating-point
/// arithmetic", 1991, theorem 4; Kahan's expm1), selecting the limit case where the rearrangement divides by 0.
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
    /// eˣ − 1 = (u − 1)·x/log(u) with u = eˣ rounded (Kahan): the rounding of u cancels. Where log(u) is 0 the answer
    /// is x. The correction is only needed, and only applied, for |x| &lt; 1: beyond, u − 1 does not cancel, and far
    /// below (u subnormal, log(u) inexact) the ratio would stray from −1; the result is also held at −1, its bound.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Expm1<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        using var scratch = new Scratch<T>(x.Length);
        Span<T> log = scratch.Span;
        TP.Exp(x, destination);
        TP.Log(destination, log);
        TP.Subtract(destination, T.One, destination);

        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= x.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var vx = new Vector<T>(x[i..]);
                var d = new Vector<T>(destination[i..]);
                var l = new Vector<T>(log[i..]);
                Vector<T> corrected = d * vx / l;
                Vector<T> result = Vector.ConditionalSelect(Vector.LessThan(Vector.Abs(vx), Vector<T>.One), corrected, d);
                Vector.ConditionalSelect(Vector.Equals(l, Vector<T>.Zero), vx, result).CopyTo(destination[i..]);
            }
        }

        for (; i < x.Length; i++)
        {
            T l = log[i];
            if (l == T.Zero)
            {
                destination[i] = x[i];
            }
            else if (T.Abs(x[i]) < T.One)
            {
                destination[i] = destination[i] * x[i] / l;
            }
        }

        TP.Max(destination, -T.One, destination);
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
