namespace NeuralNet;

// Element-wise comparisons: 0/1 masks, for Where and for counting. They are piecewise
// constant, so their derivative is zero: the result is a constant at every level.
public partial class Tensor
{
    /// <summary>1 where a &gt; b, else 0 (NaN compares false), with broadcasting; a constant (zero derivative).</summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast.</exception>
    public static Tensor GreaterThan(Tensor a, Tensor b) => Compare("GreaterThan", a, b, (x, y) => Masks.Greater(x, y));

    /// <summary>1 where a &lt; b, else 0 (NaN compares false), with broadcasting; a constant (zero derivative).</summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast.</exception>
    public static Tensor LessThan(Tensor a, Tensor b) => Compare("LessThan", a, b, (x, y) => Masks.Greater(y, x));

    /// <summary>1 where a ≥ b, else 0 (NaN compares false), with broadcasting; a constant (zero derivative).</summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast.</exception>
    public static Tensor GreaterThanOrEqual(Tensor a, Tensor b) => Compare("GreaterThanOrEqual", a, b, (x, y) => Masks.GreaterOrEqual(x, y));

    /// <summary>1 where a ≤ b, else 0 (NaN compares false), with broadcasting; a constant (zero derivative).</summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast.</exception>
    public static Tensor LessThanOrEqual(Tensor a, Tensor b) => Compare("LessThanOrEqual", a, b, (x, y) => Masks.GreaterOrEqual(y, x));

    /// <summary>1 where a = b, else 0 (NaN equals nothing), with broadcasting; a constant (zero derivative).</summary>
    /// <remarks>Not an <c>==</c> operator: that stays reference equality, as for any .NET class.</remarks>
    /// <exception cref="ArgumentException">The shapes do not broadcast.</exception>
    public static Tensor Equal(Tensor a, Tensor b) => Compare("Equal", a, b, (x, y) => Masks.Equal(x, y));

    /// <summary>Element-wise a &gt; b as a 0/1 mask (<see cref="GreaterThan"/>).</summary>
    public static Tensor operator >(Tensor a, Tensor b) => GreaterThan(a, b);

    /// <summary>Element-wise a &lt; b as a 0/1 mask (<see cref="LessThan"/>).</summary>
    public static Tensor operator <(Tensor a, Tensor b) => LessThan(a, b);

    /// <summary>Element-wise a ≥ b as a 0/1 mask (<see cref="GreaterThanOrEqual"/>).</summary>
    public static Tensor operator >=(Tensor a, Tensor b) => GreaterThanOrEqual(a, b);

    /// <summary>Element-wise a ≤ b as a 0/1 mask (<see cref="LessThanOrEqual"/>).</summary>
    public static Tensor operator <=(Tensor a, Tensor b) => LessThanOrEqual(a, b);

    /// <summary>Element-wise a &gt; b for a scalar b, as a 0/1 mask.</summary>
    public static Tensor operator >(Tensor a, double b) => GreaterThan(a, Scalar(b, a.DType));

    /// <summary>Element-wise a &lt; b for a scalar b, as a 0/1 mask.</summary>
    public static Tensor operator <(Tensor a, double b) => LessThan(a, Scalar(b, a.DType));

    /// <summary>Element-wise a ≥ b for a scalar b, as a 0/1 mask.</summary>
    public static Tensor operator >=(Tensor a, double b) => GreaterThanOrEqual(a, Scalar(b, a.DType));

    /// <summary>Element-wise a ≤ b for a scalar b, as a 0/1 mask.</summary>
    public static Tensor operator <=(Tensor a, double b) => LessThanOrEqual(a, Scalar(b, a.DType));

    // Compared exactly, in the promoted dtype; the 0/1 mask takes the narrowest dtype among the operands that are
    // not weak scalars, so that, like PyTorch's bool masks, it never widens a tensor it multiplies.
    private static Tensor Compare(string op, Tensor a, Tensor b, Func<Tensor, Tensor, Tensor> mask)
    {
        DType maskType = (!a.IsWeak && a.DType == DType.Float32) || (!b.IsWeak && b.DType == DType.Float32)
            ? DType.Float32
            : ResultType(a, b);
        var (x, y) = OpChecks.Binary(op, a, b);
        Tensor result = mask(x, y);
        return result.DType == maskType ? result : result.To(maskType);
    }
}
