using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace NeuralNet;

/// <summary>
/// The dimensions of a row-major tensor, outermost first. A rank-0 shape (<c>[]</c>) is a scalar.
/// </summary>
/// <remarks>Shapes are immutable values; two shapes are equal when their dimensions are.
/// Write them as collection expressions: <c>Tensor.Zeros([2, 3])</c>.</remarks>
[CollectionBuilder(typeof(Shape), nameof(Create))]
public readonly struct Shape : IEquatable<Shape>
{
    private readonly int[]? _dims;

    /// <summary>Creates a shape from its dimensions.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative.</exception>
    public Shape(params int[] dimensions)
    {
        foreach (int d in dimensions)
        {
            if (d < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(dimensions), $"Shape: dimension {d} in {Format(dimensions)} is negative.");
            }
        }

        _dims = (int[])dimensions.Clone();
    }

    /// <summary>A shape over <paramref name="owned"/> itself, not a copy: for arrays the library has just built and
    /// never touches again, so a kernel's result shape costs one array, not two.</summary>
    private Shape(int[] owned, bool validated)
    {
        Debug.Assert(validated && !owned.AsSpan().ContainsAnyInRange(int.MinValue, -1), "Shape: a negative dimension.");
        _dims = owned;
    }

    private static readonly Shape s_scalar = new([], validated: true);

    /// <summary>Creates a shape from a span of dimensions (used by collection expressions).</summary>
    public static Shape Create(ReadOnlySpan<int> dimensions) => new(dimensions.ToArray());

    /// <summary>The rank-0 shape of a scalar.</summary>
    public static Shape ScalarShape => s_scalar;

    /// <summary>The dimensions, outermost first.</summary>
    public ReadOnlySpan<int> Dimensions => _dims ?? [];

    /// <summary>The number of dimensions.</summary>
    public int Rank => _dims?.Length ?? 0;

    /// <summary>The number of elements: the product of the dimensions (1 for a scalar, 0 when any dimension is 0).</summary>
    /// <exception cref="ArgumentException">The product is more than an array can hold.</exception>
    public int Size
    {
        get
        {
            // An empty tensor holds nothing however large its other dimensions are (PyTorch allows [100000, 100000, 0]).
            if (Dimensions.Contains(0))
            {
                return 0;
            }

            long size = 1;
            foreach (int d in Dimensions)
            {
                size *= d;
                if (size > Array.MaxLength)
                {
                    throw new ArgumentException($"Shape: {this} has more elements than an array can hold ({Array.MaxLength}).");
                }
            }

            return (int)size;
        }
    }

    /// <summary>The dimension at <paramref name="axis"/>; negative axes count from the end.</summary>
    public int this[int axis] => Dimensions[NormalizeAxis(axis, Rank, "Shape")];

    /// <summary>Enumerates the dimensions, outermost first.</summary>
    public ReadOnlySpan<int>.Enumerator GetEnumerator() => Dimensions.GetEnumerator();

    /// <summary>The dimensions as a new array.</summary>
    public int[] ToArray() => Dimensions.ToArray();

    /// <summary>Row-major strides in elements: the last axis has stride 1.</summary>
    public int[] Strides()
    {
        var strides = new int[Rank];
        int stride = 1;
        for (int i = Rank - 1; i >= 0; i--)
        {
            strides[i] = stride;
            stride *= Dimensions[i];
        }

        return strides;
    }

    /// <summary>Converts an array of dimensions to a shape.</summary>
    public static implicit operator Shape(int[] dimensions) => new(dimensions);

    /// <inheritdoc/>
    public bool Equals(Shape other) => Dimensions.SequenceEqual(other.Dimensions);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Shape other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (int d in Dimensions)
        {
            hash.Add(d);
        }

        return hash.ToHashCode();
    }

    /// <summary>Whether two shapes have the same dimensions.</summary>
    public static bool operator ==(Shape left, Shape right) => left.Equals(right);

    /// <summary>Whether two shapes differ.</summary>
    public static bool operator !=(Shape left, Shape right) => !left.Equals(right);

    /// <summary>Formats the shape as <c>[2,3]</c>.</summary>
    public override string ToString() => Format(Dimensions);

    /// <summary>
    /// The shape two operands broadcast to under NumPy's rules: dimensions are aligned from the right, and
    /// each pair must be equal or contain a 1.
    /// </summary>
    /// <param name="a">The first operand's shape.</param>
    /// <param name="b">The second operand's shape.</param>
    /// <param name="op">The op's name, used in the error message.</param>
    /// <exception cref="ArgumentException">The shapes do not broadcast.</exception>
    public static Shape Broadcast(Shape a, Shape b, string op = "Broadcast")
    {
        if (!TryBroadcast(a, b, out Shape result, out int axis))
        {
            int rank = Math.Max(a.Rank, b.Rank);
            int da = a.Dimensions[axis - (rank - a.Rank)], db = b.Dimensions[axis - (rank - b.Rank)];
            throw new ArgumentException($"{op}: {a} and {b} do not broadcast: dimension {da} and {db} differ at axis {axis} of the result.");
        }

        return result;
    }

    /// <summary>The broadcast shape of two shapes, or false with the first result axis where they clash.</summary>
    internal static bool TryBroadcast(Shape a, Shape b, out Shape result, out int clash)
    {
        result = a;
        clash = -1;
        if (a == b)
        {
            return true;
        }

        int rank = Math.Max(a.Rank, b.Rank);
        var dims = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Rank ? 1 : a.Dimensions[i - (rank - a.Rank)];
            int db = i < rank - b.Rank ? 1 : b.Dimensions[i - (rank - b.Rank)];
            if (da != db && da != 1 && db != 1)
            {
                clash = i;
                return false;
            }

            dims[i] = da == 1 ? db : da;
        }

        result = Own(dims);
        return true;
    }

    /// <summary>A shape that takes <paramref name="dimensions"/> (non-negative, built by the caller and never written
    /// again) without copying it.</summary>
    internal static Shape Own(int[] dimensions) => new(dimensions, validated: true);

    /// <summary>A rank-2 shape, one array allocated.</summary>
    internal static Shape Matrix(int rows, int columns) => Own([rows, columns]);

    internal static int NormalizeAxis(int axis, int rank, string op)
    {
        int normalized = axis < 0 ? axis + rank : axis;
        if (normalized < 0 || normalized >= rank)
        {
            throw new ArgumentOutOfRangeException(nameof(axis), $"{op}: axis {axis} is out of range for rank {rank}.");
        }

        return normalized;
    }

    internal static string Format(ReadOnlySpan<int> dims) => "[" + string.Join(",", dims.ToArray()) + "]";
}
