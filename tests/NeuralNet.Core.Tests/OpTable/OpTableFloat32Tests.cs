namespace NeuralNet.Tests.OpTable;

using NeuralNet;

/// <summary>
/// Every (op, case) of <see cref="OpCatalog"/> in Float32 against the same computation in Float64 on the same
/// values (inputs, cotangents and tangents rounded to float32 first, so both see identical numbers): the forward
/// value, the VJP and the JVP. This is where a float-only kernel path (a vector width, a TensorPrimitives overload, the
/// GEMM's float micro-kernel) would go wrong without any Float64 check noticing.
/// </summary>
public class OpTableFloat32Tests
{
    private const int Seed = 20261;

    // float32's unit roundoff.
    private static readonly double U = Math.ScaleB(1, -24);

    public static IEnumerable<object[]> Cases => OpCatalog.Cases();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Float32AgreesWithFloat64(string op, string label)
    {
        OpSpec row = OpCatalog.Row(op);
        var (f, inputs) = OpCatalog.Sample(op, label, Seed);
        Tensor[] x32 = [.. inputs.Select(x => x.To(DType.Float32))];
        Tensor[] x64 = [.. x32.Select(x => x.To(DType.Float64))];

        var (y32, pullback32) = Autodiff.Vjp(f, x32);
        var (y64, pullback64) = Autodiff.Vjp(f, x64);
        y32.DType.Should().Be(DType.Float32, "an op keeps its inputs' dtype");
        Compare(row, label, "forward", y32, y64, Bound.Forward, MaxAbs(x64));

        Tensor u32 = Tensor.RandomNormal(y64.Shape, Seed + 99, dtype: DType.Float32);
        Tensor[] vjp32 = pullback32(u32), vjp64 = pullback64(u32.To(DType.Float64));
        for (int i = 0; i < x32.Length; i++)
        {
            vjp32[i].DType.Should().Be(DType.Float32);
            Compare(row, label, $"VJP of input {i}", vjp32[i], vjp64[i], Bound.Derivative, MaxAbs([u32]));
        }

        Tensor[] v32 = [.. x32.Select((x, i) => Tensor.RandomNormal(x.Shape, Seed + 100 + i, dtype: DType.Float32))];
        Tensor jvp32 = Autodiff.Jvp(f, x32, v32).Tangent;
        Tensor jvp64 = Autodiff.Jvp(f, x64, [.. v32.Select(v => v.To(DType.Float64))]).Tangent;
        Compare(row, label, "JVP", jvp32, jvp64, Bound.Derivative, MaxAbs(v32));
    }

    private enum Bound
    {
        Forward,
        Derivative,
    }

    /// <summary>
    /// |float32 − float64| ≤ k·u·(|rᵢ| + ‖r‖∞ + s) element-wise: k units of float32 rounding, relative to the element
    /// and, norm-wise, to the result and to the scale s of what the op was applied to (the inputs for the value, the
    /// cotangent or tangent for a derivative). The norm-wise terms are what float32 promises where exact results
    /// cancel to near 0 (a log-softmax over one element is 0, and float32's exp(0) is one ulp above 1).
    /// </summary>
    private static void Compare(OpSpec row, string label, string what, Tensor actual, Tensor reference, Bound bound, double scale)
    {
        actual.Shape.Should().Be(reference.Shape);
        double[] a = actual.ToArray<double>(), r = reference.ToArray<double>();
        double norm = (r.Length == 0 ? 0 : r.Max(Math.Abs)) + scale;
        double k = Ulps(bound);
        for (int i = 0; i < r.Length; i++)
        {
            double tolerance = k * U * (Math.Abs(r[i]) + norm);
            Math.Abs(a[i] - r[i]).Should().BeLessThanOrEqualTo(
                tolerance, $"{row.Name} {label}, {what}, element {i}: float32 {a[i]:R}, float64 {r[i]:R} ({Math.Abs(a[i] - r[i]) / (U * (Math.Abs(r[i]) + norm)):F1} of {k} units)");
        }
    }

    private static double MaxAbs(Tensor[] tensors) =>
        tensors.Select(t => t.Size == 0 ? 0 : t.ToArray<double>().Max(Math.Abs)).DefaultIfEmpty(0).Max();

    // Measured on this table: at most 2.5 units anywhere (the forward kernels are one to a few TensorPrimitives passes,
    // the rules compose several ops). Twice a 4 or 8 unit allowance leaves room for other vector widths' rounding.
    private static double Ulps(Bound bound) => bound == Bound.Forward ? 8 : 16;
}
