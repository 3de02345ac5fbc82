using System.Numerics;

namespace NeuralNet;

// The four arithmetic kernels, shared by the ops and by derivative rules that combine constant masks.
internal readonly struct AddKernel : IBinaryKernel
{
    public void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => TP.Add(x, y, destination);

    public void Invoke<T>(ReadOnlySpan<T> x, T y, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => TP.Add(x, y, destination);

    public void Invoke<T>(T x, ReadOnlySpan<T> y, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => TP.Add(y, x, destination);
}

internal readonly struct SubtractKernel : IBinaryKernel
{
    public void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => TP.Subtract(x, y, destination);

    public void Invoke<T>(ReadOnlySpan<T> x, T y, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => TP.Subtract(x, y, destination);

    public void Invoke<T>(T x, ReadOnlySpan<T> y, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => TP.Subtract(x, y, destination);
}

internal readonly struct MultiplyKernel : IBinaryKernel
{
    public void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => TP.Multiply(x, y, destination);

    public void Invoke<T>(ReadOnlySpan<T> x, T y, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => TP.Multiply(x, y, destination);

    public void Invoke<T>(T x, ReadOnlySpan<T> y, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => TP.Multiply(y, x, destination);
}

internal readonly struct DivideKernel : IBinaryKernel
{
    public void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => TP.Divide(x, y, destination);

    public void Invoke<T>(ReadOnlySpan<T> x, T y, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => TP.Divide(x, y, destination);

    public void Invoke<T>(T x, ReadOnlySpan<T> y, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> => TP.Divide(x, y, destination);
}
