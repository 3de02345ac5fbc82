using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralNet;

/// <summary>An element-wise comparison, as a scalar predicate and its vector form (all-ones lanes where true).</summary>
internal interface IComparison
{
    static abstract bool Compare<T>(T x, T y)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>;

    static abstract Vector<T> Compare<T>(Vector<T> x, Vector<T> y)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>;
}

/// <summary>x &gt; y.</summary>
internal readonly struct GreaterThan : IComparison
{
    public static bool Compare<T>(T x, T y)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => x > y;

    public static Vector<T> Compare<T>(Vector<T> x, Vector<T> y)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => Vector.GreaterThan(x, y);
}

/// <summary>x ≥ y.</summary>
internal readonly struct GreaterThanOrEqualTo : IComparison
{
    public static bool Compare<T>(T x, T y)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => x >= y;

    public static Vector<T> Compare<T>(Vector<T> x, Vector<T> y)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => Vector.GreaterThanOrEqual(x, y);
}

/// <summary>x = y.</summary>
internal readonly struct EqualTo : IComparison
{
    public static bool Compare<T>(T x, T y)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => x == y;

    public static Vector<T> Compare<T>(Vector<T> x, Vector<T> y)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => Vector.Equals(x, y);
}

/// <summary>
/// A comparison as a 0/1 mask in the operands' element type. TensorPrimitives has no comparison that yields
/// values, so this is one of the few hand-written loops: vectorized with <see cref="Vector{T}"/>, scalar tail.
/// </summary>
internal readonly struct MaskKernel<TComparison> : IBinaryKernel
    where TComparison : IComparison
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= x.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                Select(TComparison.Compare(new Vector<T>(x[i..]), new Vector<T>(y[i..]))).CopyTo(destination[i..]);
            }
        }

        for (; i < x.Length; i++)
        {
            destination[i] = TComparison.Compare(x[i], y[i]) ? T.One : T.Zero;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Invoke<T>(ReadOnlySpan<T> x, T y, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vy = new Vector<T>(y);
            for (; i <= x.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                Select(TComparison.Compare(new Vector<T>(x[i..]), vy)).CopyTo(destination[i..]);
            }
        }

        for (; i < x.Length; i++)
        {
            destination[i] = TComparison.Compare(x[i], y) ? T.One : T.Zero;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Invoke<T>(T x, ReadOnlySpan<T> y, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vx = new Vector<T>(x);
            for (; i <= y.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                Select(TComparison.Compare(vx, new Vector<T>(y[i..]))).CopyTo(destination[i..]);
            }
        }

        for (; i < y.Length; i++)
        {
            destination[i] = TComparison.Compare(x, y[i]) ? T.One : T.Zero;
        }
    }

    private static Vector<T> Select<T>(Vector<T> mask)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => Vector.ConditionalSelect(mask, Vector<T>.One, Vector<T>.Zero);
}

/// <summary>Constant 0/1 masks of comparisons, for derivative rules of piecewise ops (their own derivative is zero).</summary>
internal static class Masks
{
    /// <summary>1 where x &gt; y, else 0, broadcast; a constant whatever levels x and y carry.</summary>
    public static Tensor Greater(Tensor x, Tensor y) => Elementwise.Zip(x, y, default(MaskKernel<GreaterThan>));

    /// <summary>1 where x ≥ y, else 0, broadcast; a constant.</summary>
    public static Tensor GreaterOrEqual(Tensor x, Tensor y) => Elementwise.Zip(x, y, default(MaskKernel<GreaterThanOrEqualTo>));

    /// <summary>1 where x = y, else 0, broadcast; a constant.</summary>
    public static Tensor Equal(Tensor x, Tensor y) => Elementwise.Zip(x, y, default(MaskKernel<EqualTo>));

    /// <summary>1 where x ≠ 0 (NaN included), else 0; a constant.</summary>
    public static Tensor NonZero(Tensor x) =>
        Elementwise.Zip(Tensor.Scalar(1, x.DType), Equal(x, Tensor.Scalar(0, x.DType)), default(SubtractKernel));

    /// <summary>1 where x &gt; 0, else 0; a constant.</summary>
    public static Tensor Positive(Tensor x) => Greater(x, Tensor.Scalar(0, x.DType));
}

