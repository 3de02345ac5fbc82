using System.Globalization;
using System.Numerics;
using System.Text;

namespace NeuralNet;

/// <summary>
/// An n-dimensional, row-major array of <see cref="DType.Float32"/> or <see cref="DType.Float64"/> values.
/// </summary>
/// <remarks>
/// <para>Tensors are immutable to the user: every op returns a new tensor (only a <see cref="Parameter"/> is
/// updated in place, by optimizers; views of it share its storage and follow, and tapes refuse to run a derivative
/// rule whose saved value changed since it was recorded). Binary ops broadcast under NumPy's rules. Every op is differentiable in both modes: inside a <see cref="Tape"/> it is recorded for reverse
/// mode, and on dual tensors (<see cref="DualLevel"/>) it carries a tangent for forward mode.</para>
/// <para>A tensor that carries a derivative wraps a <em>primal</em> tensor at a lower nesting level, as in
/// DiffSharp: each tape or dual level has its own tag, so nested derivatives never confuse perturbations.</para>
/// </remarks>
public partial class Tensor : IFormattable, IDisposable
{
    // One of three cases: a constant has values (_values != null, Level == null); a tensor that carries a
    // derivative at Level wraps a lower-level Primal (and keeps its values at hand, so that reading them does not
    // walk a chain as long as the nesting); or, inside a tape, a shape-only stand-in for a value that no derivative
    // rule reads (no values: reading them is an error in the op's declaration of what it saves).
    // The values are a bare float[]/double[] when nothing can write them in place or give them back (an op's small
    // result: its version is 0 for ever, and a scalar graph allocates no more than the array), or a versioned Storage
    // (a Parameter's and every view of it; a pooled buffer, which a tape or Dispose may give back).
    private readonly object? _values;
    internal readonly Tensor? Primal;
    internal readonly Level? Level;
    internal readonly Tensor? Tangent;
    internal readonly Node? Node;

    private static readonly Tensor s_scalarFloat32ShapeOnly = new(Shape.ScalarShape, DType.Float32);
    private static readonly Tensor s_scalarFloat64ShapeOnly = new(Shape.ScalarShape, DType.Float64);

    /// <summary>How many live tapes watch this tensor; ops look it up on a tape only when non-zero.</summary>
    internal int WatchCount;

    /// <summary>Wraps storage as a constant tensor; the array is not copied.</summary>
    internal Tensor(Array data, Shape shape)
    {
        DType = data switch
        {
            float[] => DType.Float32,
            double[] => DType.Float64,
            _ => throw new ArgumentException($"Tensor: storage of type {data.GetType().Name} is not supported."),
        };
        if (data.Length != shape.Size)
        {
            throw new ArgumentException($"Tensor: {data.Length} values do not fill shape {shape} ({shape.Size} elements).");
        }

        _values = Tape.Claim(data);
        Shape = shape;
    }

    /// <summary>A constant over versioned <paramref name="storage"/> (a parameter's value).</summary>
    internal Tensor(Storage storage, Shape shape)
        : this((object)storage, shape)
    {
    }

    /// <summary>A constant view of <paramref name="values"/> (an array or a <see cref="NeuralNet.Storage"/>) with another tensor's element count.</summary>
    private Tensor(object values, Shape shape)
    {
        _values = values;
        Shape = shape;
        DType = (values is Storage storage ? storage.IsFloat32 : values is float[]) ? DType.Float32 : DType.Float64;
    }

    /// <summary>A shape-only stand-in, with no values (see <see cref="ShapeOnly"/>).</summary>
    private Tensor(Shape shape, DType dtype)
    {
        Shape = shape;
        DType = dtype;
    }

    /// <summary>A forward-mode dual: <paramref name="primal"/> with <paramref name="tangent"/> at <paramref name="level"/>.</summary>
    internal Tensor(Tensor primal, Level level, Tensor tangent)
    {
        Primal = primal;
        _values = primal._values;
        Level = level;
        Tangent = tangent;
        Shape = primal.Shape;
        DType = primal.DType;
    }

    /// <summary>A reverse-mode value: <paramref name="primal"/> recorded as <paramref name="node"/> at <paramref name="level"/>.</summary>
    internal Tensor(Tensor primal, Level level, Node node)
    {
        Primal = primal;
        _values = primal._values;
        Level = level;
        Node = node;
        Shape = primal.Shape;
        DType = primal.DType;
    }

    /// <summary>The dimensions of the tensor.</summary>
    public Shape Shape { get; }

    /// <summary>The element type.</summary>
    public DType DType { get; }

    /// <summary>
    /// Whether this is a weak scalar (made by <see cref="Scalar"/> without a dtype): in an element-wise op it takes
    /// the other operand's dtype (see <see cref="ResultType"/>). An op's result is never weak.
    /// </summary>
    public bool IsWeak => _isWeak;

    // A weak scalar's value as the C# double it was made from: promoted, it is rebuilt from this, not widened from
    // its DefaultDType rounding (PyTorch keeps a Python number's double, so float64 + 0.1 adds exactly 0.1). A double
    // and a flag rather than a double?, whose padding would make every tensor 8 bytes larger.
    private double _weakValue;
    private bool _isWeak;

    /// <summary>The number of dimensions.</summary>
    public int Rank => Shape.Rank;

    /// <summary>The number of elements.</summary>
    public int Size => Shape.Size;

    /// <summary>Whether this tensor carries a derivative on an active tape or dual level.</summary>
    public bool IsTracked => Level is { IsActive: true };

    // Set by Dispose: this tensor's values are gone for every reader, whatever they were.
    private bool _disposed;

    private const string DisposedReason =
        "It was disposed (Dispose or a using declaration), and its buffer went back to the pool for the next " +
        "result. Copy the values (ToArray) before disposing it, or dispose it only once nothing reads it or a view of it.";

    /// <summary>The values of the constant at the bottom of the primal chain: an array or a <see cref="NeuralNet.Storage"/>.</summary>
    private object Backing => _disposed
        ? throw new ObjectDisposedException(nameof(Tensor), $"Tensor {Shape} {DType}: {DisposedReason}")
        : _values ?? throw new InvalidOperationException(
        $"A derivative rule read the values of a {Shape} {DType} input or output that its op does not save; " +
        "the op's SavesInput/SavesOutput must include it (a bug in the op, not in the caller's code).");

    /// <summary>The versioned storage these values belong to (a parameter's), or null for values nothing writes in place.</summary>
    internal Storage? Storage => Backing as Storage;

    /// <summary>How many in-place writes the values have seen: always 0 unless they are a parameter's.</summary>
    internal int Version => Storage?.Version ?? 0;

    /// <summary>Whether two tensors view the same values (the same array or storage), as a view and its base do.</summary>
    internal bool SharesValuesWith(Tensor other) => ReferenceEquals(_values, other._values);

    /// <summary>The values of the constant at the bottom of the primal chain.</summary>
    /// <exception cref="ObjectDisposedException">The values were a training step's temporary, given back to the pool.</exception>
    internal Array Data => Backing is Storage storage ? storage.DataFor(this) : (Array)Backing;

    /// <summary>
    /// Gives this tensor's buffer back to the library's buffer pool, for the next result of its size, and makes the
    /// tensor unreadable: reading it, or a view of it (<see cref="Detach"/>, a reshape) that shares a pooled buffer,
    /// then throws <see cref="ObjectDisposedException"/>. Optional: a tensor never disposed is collected as usual.
    /// </summary>
    /// <remarks>
    /// <para>For results made outside a training step, which nothing else gives back: <c>using var c = a.MatMul(b);</c>
    /// in a loop reuses one buffer instead of asking the collector for a new one per call (an array of 85 KB or more
    /// lives on the large-object heap, and each one brings a gen-2 collection closer). Inside a
    /// <see cref="Tape.Record"/> tape the step's own temporaries go back without it, as before.</para>
    /// <para>Only buffers of 1 KB and up come from the pool; a smaller tensor is only marked disposed. A
    /// <see cref="Parameter"/> belongs to its module: disposing one does nothing, and disposing a view of a parameter or
    /// a gradient makes only that view unreadable. Disposing twice does nothing. Disposing a value that a tape saved for
    /// its backward pass makes that pass throw, rather than read the next result's values.</para>
    /// </remarks>
    public void Dispose()
    {
        if (this is Parameter || _disposed || _values is null)
        {
            return;
        }

        _disposed = true;
        if (_values is Storage { Pooled: true, Owner: null } storage && storage.TryRelease(DisposedReason) is { } buffer)
        {
            BufferPool.Return(buffer);
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>The values as a span of <typeparamref name="T"/>; <typeparamref name="T"/> must match <see cref="DType"/>.</summary>
    internal Span<T> Span<T>() => (T[])Data;

    /// <summary>A constant tensor of the same values: derivatives at every level are dropped (JAX's <c>stop_gradient</c>).</summary>
    /// <remarks>Always a new object (sharing the storage): tapes watch tensors by identity, so returning <c>this</c> for a
    /// watched constant would let the tape record through the "detached" value.</remarks>
    public Tensor Detach() => new(Backing, Shape);

    /// <summary>The value as a constant for a kernel to consume at once: <c>this</c> when it already is a plain constant.</summary>
    internal Tensor AsConstant() => Level is null && _values is not null && GetType() == typeof(Tensor) ? this : new Tensor(Backing, Shape);

    /// <summary>A new tensor object over the same values, for a holder that must not see this one disposed: a parameter, or a
    /// shape-only stand-in, is itself.</summary>
    internal Tensor Alias() => this is Parameter || _values is null ? this : new Tensor(Backing, Shape);

    /// <summary>Whether <see cref="Dispose"/> ran on this object.</summary>
    internal bool IsDisposed => _disposed;

    /// <summary>The same values viewed with another shape of as many elements (no copy).</summary>
    internal Tensor WithShape(Shape shape) => new(Backing, shape);

    /// <summary>
    /// A tensor with a shape and a dtype but no values: what a tape hands a derivative rule in place of an input or
    /// output the op does not save, so the rule can still read its shape.
    /// </summary>
    /// <remarks>Every backward pass asks for one per unsaved value, and they hold nothing: the rank-0 stand-ins are
    /// shared, and the others are kept per thread by shape, so a training step's pass, which sees the same shapes
    /// every time, makes none.</remarks>
    internal static Tensor ShapeOnly(Shape shape, DType dtype)
    {
        if (shape.Rank == 0)
        {
            return dtype == DType.Float32 ? s_scalarFloat32ShapeOnly : s_scalarFloat64ShapeOnly;
        }

        Dictionary<(Shape, DType), Tensor> cache = t_shapeOnly ??= [];
        if (!cache.TryGetValue((shape, dtype), out Tensor? standIn))
        {
            if (cache.Count == MaxShapeOnlyCached)
            {
                // A program of ever-new shapes is bounded, not remembered for ever.
                cache.Clear();
            }

            standIn = new Tensor(shape, dtype);
            cache.Add((shape, dtype), standIn);
        }

        return standIn;
    }

    private const int MaxShapeOnlyCached = 256;

    [ThreadStatic]
    private static Dictionary<(Shape, DType), Tensor>? t_shapeOnly;

    /// <summary>The value of a one-element tensor, as a <see cref="double"/> (PyTorch's <c>item()</c>).</summary>
    /// <exception cref="InvalidOperationException">The tensor has more than one element.</exception>
    public double Item()
    {
        if (Size != 1)
        {
            throw new InvalidOperationException($"Item: the tensor has shape {Shape} ({Size} elements); only a one-element tensor has an item.");
        }

        if (CaptureSession.Current is not null)
        {
            CaptureSession.Refuse($"Item reads a tensor {Shape} on the host (read the step's output after Replay)");
        }

        return Data switch
        {
            float[] f => f[0],
            double[] d => d[0],
            _ => throw new InvalidOperationException("Item: unsupported storage."),
        };
    }

    /// <summary>A copy of the values in row-major order, converted to <typeparamref name="T"/>.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>; other numeric types convert with truncation.</typeparam>
    public T[] ToArray<T>()
        where T : INumberBase<T>
    {
        if (CaptureSession.Current is not null)
        {
            CaptureSession.Refuse($"ToArray reads a tensor {Shape} on the host (read the step's output after Replay)");
        }
        var result = new T[Size];
        switch (Data)
        {
            case T[] same:
                same.CopyTo(result, 0);
                break;
            case float[] f:
                for (int i = 0; i < f.Length; i++)
                {
                    result[i] = T.CreateTruncating(f[i]);
                }

                break;
            case double[] d:
                for (int i = 0; i < d.Length; i++)
                {
                    result[i] = T.CreateTruncating(d[i]);
                }

                break;
        }

        return result;
    }

    /// <summary>
    /// With a format, a rank-0 tensor's value formatted as a number (PyTorch's <c>__format__</c>), so
    /// <c>$"{x[0]:F6}"</c> prints <c>1.000000</c>; without one, <see cref="ToString()"/>.
    /// </summary>
    /// <exception cref="FormatException">A format is given for a tensor with dimensions.</exception>
    public string ToString(string? format, IFormatProvider? formatProvider)
    {
        if (string.IsNullOrEmpty(format))
        {
            return ToString();
        }

        if (Rank != 0)
        {
            throw new FormatException($"Tensor: format \"{format}\" applies to a rank-0 tensor; this one has shape {Shape} (format x[i].Item() or each element).");
        }

        return Item().ToString(format, formatProvider);
    }

    /// <summary>
    /// A readable rendering: <c>Tensor([[1, 2], [3, 4]], Float32)</c>. Long axes are elided with <c>...</c>.
    /// </summary>
    public override string ToString()
    {
        var sb = new StringBuilder("Tensor(");
        double[] values = ToArray<double>();
        AppendValues(sb, values);
        sb.Append(", ").Append(DType);
        if (IsTracked)
        {
            sb.Append(Node is null ? ", dual" : ", recorded");
        }

        return sb.Append(')').ToString();
    }

    /// <summary>
    /// Writes the nested lists, eliding long axes; a loop over an index per axis rather than recursion, so any rank
    /// renders (a tensor of rank 100,000 is legal).
    /// </summary>
    private void AppendValues(StringBuilder sb, double[] values)
    {
        const int edge = 3;
        ReadOnlySpan<int> dims = Shape.Dimensions;
        var strides = new int[Rank];
        for (int a = Rank - 1, stride = 1; a >= 0; stride *= dims[a], a--)
        {
            strides[a] = stride;
        }

        var index = new int[Rank];
        int depth = 0, offset = 0;
        while (true)
        {
            // Down to an element, or to an empty axis.
            while (depth < Rank && dims[depth] > 0)
            {
                sb.Append('[');
                index[depth++] = 0;
            }

            sb.Append(depth < Rank ? "[]" : values[offset].ToString("G6", CultureInfo.InvariantCulture));

            // Up to the innermost axis with a next element to show, closing the finished ones.
            while (true)
            {
                if (depth == 0)
                {
                    return;
                }

                int a = depth - 1, dim = dims[a], next = index[a] + 1;
                if (next == dim)
                {
                    sb.Append(']');
                    offset -= index[a] * strides[a];
                    depth--;
                    continue;
                }

                sb.Append(", ");
                if (dim > (2 * edge) + 1 && next == edge)
                {
                    sb.Append("..., ");
                    next = dim - edge;
                }

                offset += (next - index[a]) * strides[a];
                index[a] = next;
                break;
            }
        }
    }
}
