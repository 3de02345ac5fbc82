using System.Numerics;

namespace NeuralNet;

/// <summary>An element-wise map y = f(x) over spans of one element type.</summary>
internal interface IUnaryKernel
{
    void Invoke<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>;
}

/// <summary>An element-wise binary map, with forms for a scalar on either side (the broadcasting driver's fast paths).</summary>
internal interface IBinaryKernel
{
    void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>;

    void Invoke<T>(ReadOnlySpan<T> x, T y, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>;

    void Invoke<T>(T x, ReadOnlySpan<T> y, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>;
}

/// <summary>A reduction: one span to one value, and an element-wise fold of a row into an accumulator row.</summary>
internal interface IReduceKernel
{
    /// <summary>The result of reducing nothing (0 for a sum).</summary>
    T Identity<T>()
        where T : unmanaged, IBinaryFloatingPointIeee754<T>;

    T Reduce<T>(ReadOnlySpan<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>;

    void Fold<T>(ReadOnlySpan<T> x, Span<T> accumulator)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>;
}
