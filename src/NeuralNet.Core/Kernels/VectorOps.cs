using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NeuralNet;

/// <summary>
/// The few vector operations the GEMM micro-kernel needs, as static members, so one kernel body compiles to
/// 256-bit or 512-bit code: the JIT specializes the kernel per struct and inlines these.
/// </summary>
internal unsafe interface IVectorOps<T, TVector>
    where T : unmanaged
    where TVector : struct
{
    /// <summary>Elements per vector.</summary>
    static abstract int Width { get; }

    /// <summary>
    /// Rows of C per micro-kernel tile (MR): as many as keep the 2·MR accumulators, two vectors of B and a broadcast
    /// within the register file, since a spill of an accumulator costs a load and a store on every step of k.
    /// </summary>
    static abstract int Rows { get; }

    static abstract TVector Zero { get; }

    static abstract TVector Load(T* source);

    static abstract TVector Broadcast(T value);

    /// <summary>a·b + c, fused where the element type allows.</summary>
    static abstract TVector MultiplyAdd(TVector a, TVector b, TVector c);

    /// <summary>Adds two consecutive vectors into <paramref name="destination"/>, or stores them over it when
    /// <paramref name="overwrite"/> (β = 0, so the destination is never read); with <paramref name="rectify"/>, stores
    /// max(·, 0) of the sum (a ReLU epilogue).</summary>
    static abstract void Accumulate(T* destination, TVector first, TVector second, bool overwrite, bool rectify);

    /// <summary>Adds one vector into <paramref name="destination"/>, or stores it over it when <paramref name="overwrite"/>;
    /// with <paramref name="rectify"/>, stores max(·, 0) of the sum.</summary>
    static abstract void Accumulate(T* destination, TVector value, bool overwrite, bool rectify);
}

/// <summary>256-bit vectors (AVX2, or Neon pairs through the portable API).</summary>
internal readonly unsafe struct Vector256Ops<T> : IVectorOps<T, Vector256<T>>
    where T : unmanaged
{
    public static int Width => Vector256<T>.Count;

    /// <summary>Six: 12 accumulators + 2 of B + 1 broadcast = 15 of AVX2's 16 ymm registers (eight rows would need 19).</summary>
    public static int Rows => 6;

    public static Vector256<T> Zero => Vector256<T>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Load(T* source) => Vector256.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Broadcast(T value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MultiplyAdd(Vector256<T> a, Vector256<T> b, Vector256<T> c)
    {
        if (typeof(T) == typeof(float))
        {
            return Vector256.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        }

        if (typeof(T) == typeof(double))
        {
            return Vector256.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        }

        return (a * b) + c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Accumulate(T* destination, Vector256<T> first, Vector256<T> second, bool overwrite, bool rectify)
    {
        Accumulate(destination, first, overwrite, rectify);
        Accumulate(destination + Vector256<T>.Count, second, overwrite, rectify);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Accumulate(T* destination, Vector256<T> value, bool overwrite, bool rectify)
    {
        Vector256<T> sum = overwrite ? value : Vector256.Load(destination) + value;

        // IEEE maximum, as TensorPrimitives.Max: NaN stays NaN, as the unfused ReLU leaves it
        (rectify ? Vector256.Max(sum, Vector256<T>.Zero) : sum).Store(destination);
    }
}

/// <summary>512-bit vectors (AVX-512).</summary>
internal readonly unsafe struct Vector512Ops<T> : IVectorOps<T, Vector512<T>>
    where T : unmanaged
{
    public static int Width => Vector512<T>.Count;

    /// <summary>Eight: 16 accumulators + 2 of B + 1 broadcast = 19 of AVX-512's 32 zmm registers.</summary>
    public static int Rows => 8;

    public static Vector512<T> Zero => Vector512<T>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Load(T* source) => Vector512.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Broadcast(T value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MultiplyAdd(Vector512<T> a, Vector512<T> b, Vector512<T> c)
    {
        if (typeof(T) == typeof(float))
        {
            return Vector512.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        }

        if (typeof(T) == typeof(double))
        {
            return Vector512.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        }

        return (a * b) + c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Accumulate(T* destination, Vector512<T> first, Vector512<T> second, bool overwrite, bool rectify)
    {
        Accumulate(destination, first, overwrite, rectify);
        Accumulate(destination + Vector512<T>.Count, second, overwrite, rectify);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Accumulate(T* destination, Vector512<T> value, bool overwrite, bool rectify)
    {
        Vector512<T> sum = overwrite ? value : Vector512.Load(destination) + value;

        // IEEE maximum, as TensorPrimitives.Max: NaN stays NaN, as the unfused ReLU leaves it
        (rectify ? Vector512.Max(sum, Vector512<T>.Zero) : sum).Store(destination);
    }
}
