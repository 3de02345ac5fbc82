using System.Numerics;

namespace NeuralNet;

/// <summary>
/// Where a tensor attains its max or min: the constant 0/1 mask x == broadcast(extremum), for the derivatives of
/// <see cref="Tensor.Max(int[], bool)"/> and <see cref="Tensor.Min(int[], bool)"/>.
/// </summary>
internal static class ExtremumMask
{
    /// <summary>
    /// Effectively computes mask[i] = (x[i] == extremum[j]) ? 1 : 0, with <paramref name="extremum"/> broadcast to
    /// <paramref name="x"/>'s shape. NaN equals nothing, so a NaN extremum gives an all-zero mask.
    /// </summary>
    public static Tensor Equal(Tensor x, Tensor extremum) => Elementwise.Zip(x, extremum, default(EqualKernel));

    // TensorPrimitives has no floating-point equality into a 0/1 span, so these loops are ours.
    private readonly struct EqualKernel : IBinaryKernel
    {
        public void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
            where T : unmanaged, IBinaryFloatingPointIeee754<T>
        {
            for (int i = 0; i < destination.Length; i++)
            {
                destination[i] = x[i] == y[i] ? T.One : T.Zero;
            }
        }

        public void Invoke<T>(ReadOnlySpan<T> x, T y, Span<T> destination)
            where T : unmanaged, IBinaryFloatingPointIeee754<T>
        {
            for (int i = 0; i < destination.Length; i++)
            {
                destination[i] = x[i] == y ? T.One : T.Zero;
            }
        }

        public void Invoke<T>(T x, ReadOnlySpan<T> y, Span<T> destination)
            where T : unmanaged, IBinaryFloatingPointIeee754<T> => Invoke(y, x, destination);
    }
}
