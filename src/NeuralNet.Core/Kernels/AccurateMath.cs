using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralNet;

/// <summary>
/// log1p, expm1 and tanh accurate to a few ulps relative, also near 0. TensorPrimitives 10 computes LogP1 as
/// log(1 + x), ExpM1 as exp(x) − 1 and Tanh through exponentials, so near 0 they lose most of their relative
/// precision (ExpM1(−0.035f) is off by about 20 ulps, Tanh(1e−3f) by 2.7·10⁻⁵ relative, and LogP1 of 10⁻⁴⁴ in
/// double returns 0). These kernels use the same vector exponential and logarithm (<see cref="Vector.Exp(Vector{float})"/>,
/// <see cref="Vector.Log(Vector{float})"/>) and correct them in registers, one pass per call: log1p with the classic
/// rearrangement (Goldberg, "What every computer scientist should know about floating-point arithmetic", 1991,
/// theorem 4), selecting the limit case where it divides by 0; expm1 with its Taylor series near 0; tanh and softplus
/// on top of those.
/// Source and destination must not overlap.
/// </summary>
internal static class AccurateMath
{
    /// <summary>
    /// log(1 + x) = log(u)·x/(u − 1) with u = 1 + x rounded: the rounding error of u cancels in the ratio. Where
    /// u − 1 is 0 (|x| below half an ulp of 1) the answer is x itself, as it is for +∞; below −1 it is NaN (IEEE),
    /// −∞ included. One pass, in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Log1p<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => Map<T, Log1pForm>(x, destination);

    /// <summary>softplus(x) = max(x, 0) + log1p(e^−|x|): it never overflows, and stays accurate far below 0, where it is
    /// e^x; one pass.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Softplus<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => Map<T, SoftplusForm>(x, destination);

    /// <summary>
    /// eˣ − 1: for |x| &lt; 1 its Taylor series x + x²/2! + … + xᴺ/N! by Horner's rule (N = 18 in double, 11 in float,
    /// so the first term left out is below half an ulp of the result; the series alternates at worst for x near −1,
    /// where it loses under 2 ulps), and beyond that exp(x) − 1, where nothing cancels. One pass, in registers: the
    /// exp-and-log correction (Kahan's) it replaces made five passes, one of them a logarithm. The result is held at
    /// −1, its bound; NaN stays NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Expm1<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => Map<T, Expm1Form>(x, destination);

    /// <summary>tanh(x) = −t/(t + 2)·sign(x) with t = expm1(−2|x|): no cancellation near 0, and ±1 without overflow; one pass.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tanh<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => Map<T, TanhForm>(x, destination);

    /// <summary>One of these functions on one vector; <c>coefficients</c> are expm1's series (1/k!), for the forms that use it.</summary>
    private interface IVectorForm
    {
        static abstract Vector<T> Apply<T>(Vector<T> x, ReadOnlySpan<T> coefficients)
            where T : unmanaged, IBinaryFloatingPointIeee754<T>;
    }

    private readonly struct Expm1Form : IVectorForm
    {
        public static Vector<T> Apply<T>(Vector<T> x, ReadOnlySpan<T> coefficients)
            where T : unmanaged, IBinaryFloatingPointIeee754<T> => Expm1(x, coefficients);
    }

    private readonly struct TanhForm : IVectorForm
    {
        public static Vector<T> Apply<T>(Vector<T> x, ReadOnlySpan<T> coefficients)
            where T : unmanaged, IBinaryFloatingPointIeee754<T>
        {
            Vector<T> t = Expm1(Vector.Abs(x) * T.CreateChecked(-2), coefficients);
            return Vector.CopySign(-t / (t + new Vector<T>(T.CreateChecked(2))), x);
        }
    }

    private readonly struct Log1pForm : IVectorForm
    {
        public static Vector<T> Apply<T>(Vector<T> x, ReadOnlySpan<T> coefficients)
            where T : unmanaged, IBinaryFloatingPointIeee754<T> => Log1p(x);
    }

    private readonly struct SoftplusForm : IVectorForm
    {
        public static Vector<T> Apply<T>(Vector<T> x, ReadOnlySpan<T> coefficients)
            where T : unmanaged, IBinaryFloatingPointIeee754<T> => Vector.Max(x, Vector<T>.Zero) + Log1p(Exp(-Vector.Abs(x)));
    }

    /// <summary>
    /// Runs <typeparamref name="TForm"/> over whole vectors, and over the last partial one through a zero-padded vector,
    /// so every element is computed by the same instructions wherever it sits.
    /// </summary>
    private static void Map<T, TForm>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TForm : IVectorForm
    {
        int terms = typeof(T) == typeof(float) ? 11 : 18;
        Span<T> coefficients = stackalloc T[terms + 1];
        for (int k = 0; k <= terms; k++)
        {
            coefficients[k] = T.CreateChecked(InverseFactorials[k]);
        }

        int i = 0, width = Vector<T>.Count;
        for (; i <= x.Length - width; i += width)
        {
            TForm.Apply(new Vector<T>(x[i..]), coefficients).CopyTo(destination[i..]);
        }

        if (i < x.Length)
        {
            Span<T> padded = stackalloc T[width];
            padded.Clear();
            x[i..].CopyTo(padded);
            TForm.Apply(new Vector<T>(padded), coefficients).CopyTo(padded);
            padded[..(x.Length - i)].CopyTo(destination[i..]);
        }
    }

    /// <summary>log(1 + x) of one vector (see <see cref="Log1p{T}(ReadOnlySpan{T}, Span{T})"/>).</summary>
    private static Vector<T> Log1p<T>(Vector<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Vector<T> u = x + Vector<T>.One;
        Vector<T> ratio = x / (u - Vector<T>.One);

        // The ratio is not finite exactly where u − 1 = 0 (or x = +∞): there log1p(x) = x.
        Vector<T> finite = Vector.Equals(ratio - ratio, Vector<T>.Zero);
        Vector<T> result = Vector.ConditionalSelect(finite, Log(u) * ratio, x);
        return Vector.ConditionalSelect(Vector.LessThan(x, -Vector<T>.One), new Vector<T>(T.NaN), result);
    }

    private static Vector<T> Exp<T>(Vector<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => typeof(T) == typeof(float)
            ? Vector.Exp(Vector.As<T, float>(x)).As<float, T>()
            : Vector.Exp(Vector.As<T, double>(x)).As<double, T>();

    private static Vector<T> Log<T>(Vector<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => typeof(T) == typeof(float)
            ? Vector.Log(Vector.As<T, float>(x)).As<float, T>()
            : Vector.Log(Vector.As<T, double>(x)).As<double, T>();

    /// <summary>eˣ − 1 of one vector: the series where |x| &lt; 1, exp(x) − 1 elsewhere, held at −1.</summary>
    private static Vector<T> Expm1<T>(Vector<T> x, ReadOnlySpan<T> coefficients)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int terms = coefficients.Length - 1;
        Vector<T> series = new(coefficients[terms]);
        for (int k = terms - 1; k >= 1; k--)
        {
            series = (series * x) + new Vector<T>(coefficients[k]);
        }

        Vector<T> small = Vector.LessThan(Vector.Abs(x), Vector<T>.One);
        Vector<T> result = Vector.ConditionalSelect(small, series * x, Exp(x) - Vector<T>.One);
        return Vector.ConditionalSelect(Vector.LessThan(result, -Vector<T>.One), -Vector<T>.One, result);
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
}
