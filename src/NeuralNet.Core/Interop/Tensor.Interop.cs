using NumericsTensor = System.Numerics.Tensors.Tensor;

namespace NeuralNet;

// Conversions between NeuralNet.Tensor and System.Numerics.Tensors (Tensor<T>, ReadOnlyTensorSpan<T>), and a
// read-only span over a tensor's values. Our storage is a dense row-major float[] or double[], so views over it
// need no copy. Tensor<T> is writable, though, and our tensors are immutable to the user (only optimizers update
// parameters, and tapes check that they did not), so a Tensor<T> is always a copy; the no-copy views are the read-only ReadOnlySpan<T> and
// ReadOnlyTensorSpan<T>. Only the types used are named: the namespace's static Tensor clashes with ours.
public partial class Tensor
{
    /// <summary>
    /// A read-only view of the values in row-major order, without copying (the value for a tensor that carries a
    /// derivative).
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> for <see cref="DType.Float32"/>, <see cref="double"/> for <see cref="DType.Float64"/>.</typeparam>
    /// <remarks>The span reads the tensor's own storage: a <see cref="Parameter"/>'s view shows the optimizer's in-place
    /// updates. Use <see cref="ToArray{T}"/> for a copy, or one converted to another element type.</remarks>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> does not match <see cref="DType"/>.</exception>
    public ReadOnlySpan<T> Values<T>()
        where T : unmanaged => TypedData<T>(nameof(Values));

    /// <summary>
    /// A read-only <see cref="System.Numerics.Tensors.ReadOnlyTensorSpan{T}"/> over the values, with the tensor's
    /// shape as its lengths, without copying.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> for <see cref="DType.Float32"/>, <see cref="double"/> for <see cref="DType.Float64"/>.</typeparam>
    /// <remarks>System.Numerics.Tensors has no rank-0 tensors: a scalar is viewed with lengths [1].</remarks>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> does not match <see cref="DType"/>.</exception>
    public System.Numerics.Tensors.ReadOnlyTensorSpan<T> AsReadOnlyTensorSpan<T>()
        where T : unmanaged => new(TypedData<T>(nameof(AsReadOnlyTensorSpan)), Lengths(Shape));

    /// <summary>
    /// A <see cref="System.Numerics.Tensors.Tensor{T}"/> holding a copy of the values, dense and row-major, with the
    /// tensor's shape as its lengths.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> for <see cref="DType.Float32"/>, <see cref="double"/> for <see cref="DType.Float64"/>.</typeparam>
    /// <remarks>A copy because <c>Tensor&lt;T&gt;</c> is writable; for a view use <see cref="AsReadOnlyTensorSpan{T}"/>.
    /// System.Numerics.Tensors has no rank-0 tensors: a scalar becomes lengths [1].</remarks>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> does not match <see cref="DType"/>.</exception>
    public System.Numerics.Tensors.Tensor<T> ToNumericsTensor<T>()
        where T : unmanaged => NumericsTensor.Create(TypedData<T>(nameof(ToNumericsTensor)).ToArray(), Lengths(Shape));

    /// <summary>
    /// A tensor holding a copy of <paramref name="source"/>'s elements in row-major order, with its lengths as the
    /// shape: <see cref="DType.Float32"/> for <see cref="float"/>, <see cref="DType.Float64"/> for <see cref="double"/>.
    /// </summary>
    /// <remarks>A copy because <paramref name="source"/> stays writable by its owner. Strided and broadcast sources are
    /// read element by element in logical order.</remarks>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    public static Tensor FromNumericsTensor<T>(System.Numerics.Tensors.Tensor<T> source)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(source);
        return FromNumericsTensor(source.AsReadOnlyTensorSpan());
    }

    /// <inheritdoc cref="FromNumericsTensor{T}(System.Numerics.Tensors.Tensor{T})"/>
    public static Tensor FromNumericsTensor<T>(System.Numerics.Tensors.ReadOnlyTensorSpan<T> source)
        where T : unmanaged
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
        {
            throw new NotSupportedException($"FromNumericsTensor: element type {typeof(T).Name} is not supported; use float or double.");
        }

        var dimensions = new int[source.Rank];
        for (int i = 0; i < dimensions.Length; i++)
        {
            dimensions[i] = checked((int)source.Lengths[i]);
        }

        var shape = new Shape(dimensions);
        var values = new T[shape.Size];
        source.FlattenTo(values);
        return new Tensor(values, shape);
    }

    /// <summary>The storage as <typeparamref name="T"/>, or an error naming <paramref name="op"/> and the dtype.</summary>
    internal T[] TypedData<T>(string op)
        where T : unmanaged
    {
        if (CaptureSession.Current is not null)
        {
            CaptureSession.Refuse($"{op} reads a tensor {Shape} on the host (read the step's output after Replay)");
        }

        return Data as T[] ?? throw new InvalidOperationException(
            $"{op}: the tensor ({Shape}) is {DType}; ask for {(DType == DType.Float32 ? "float" : "double")} " +
            $"rather than {typeof(T).Name}, or convert with To(DType.{(DType == DType.Float32 ? DType.Float64 : DType.Float32)}).");
    }

    private static nint[] Lengths(Shape shape) => shape.Rank == 0 ? [1] : [.. shape.ToArray().Select(d => (nint)d)];
}
