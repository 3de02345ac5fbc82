using System.Buffers;

namespace NeuralNet;

/// <summary>A temporary buffer from the shared pool, returned on dispose: for kernels composed of several TensorPrimitives calls.</summary>
internal readonly ref struct Scratch<T>
{
    private readonly T[] _array;
    private readonly int _length;

    public Scratch(int length)
    {
        _array = ArrayPool<T>.Shared.Rent(length);
        _length = length;
    }

    public Span<T> Span => _array.AsSpan(0, _length);

    public void Dispose() => ArrayPool<T>.Shared.Return(_array);
}
