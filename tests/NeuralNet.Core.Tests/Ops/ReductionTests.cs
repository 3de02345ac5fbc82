namespace NeuralNet.Tests.Ops;

using NeuralNet;

/// <summary>
/// Forward values of Max, Min, Variance, StandardDeviation and the softmax family against a scalar reference in
/// float64, over axes that exercise each kernel path (whole rows, strided rows folded side by side, merged
/// axes, rows longer than a vector); and Max/Min gradients at ties, split evenly by hand.
/// </summary>
public class ReductionTests
{
    public static TheoryData<DType, int[], int[]?> ReductionCases()
    {
        var data = new TheoryData<DType, int[], int[]?>();
        foreach (DType dtype in new[] { DType.Float32, DType.Float64 })
        {
            data.Add(dtype, [2, 3, 4], null);
            data.Add(dtype, [2, 3, 4], [0]);
            data.Add(dtype, [2, 3, 4], [1]);
            data.Add(dtype, [2, 3, 4], [2]);
            data.Add(dtype, [2, 3, 4], [0, 2]);
            data.Add(dtype, [2, 3, 4], [1, 2]);
            data.Add(dtype, [3, 37], [0]);
            data.Add(dtype, [3, 37], [1]);
            data.Add(dtype, [1], null);
        }

        return data;
    }

    public static TheoryData<DType, int[], int> AxisCases()
    {
        var data = new TheoryData<DType, int[], int>();
        foreach (DType dtype in new[] { DType.Float32, DType.Float64 })
        {
            data.Add(dtype, [2, 3, 4], 0);
            data.Add(dtype, [2, 3, 4], 1);
            data.Add(dtype, [2, 3, 4], 2);
            data.Add(dtype, [3, 37], 0);
            data.Add(dtype, [3, 37], 1);
            data.Add(dtype, [4, 1], 1);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ReductionCases))]
    public void ReductionsMatchAScalarReference(DType dtype, int[] shape, int[]? axes)
    {
        Tensor x = Tensor.RandomNormal(shape, seed: 5, dtype: dtype);

        ShouldEqual(x.Max(axes), ReduceReference(x, axes, v => v.Max()), dtype);
        ShouldEqual(x.Min(axes), ReduceReference(x, axes, v => v.Min()), dtype);
        ShouldEqual(x.Variance(axes), ReduceReference(x, axes, v => Variance(v, 0)), dtype);
        ShouldEqual(x.StandardDeviation(axes), ReduceReference(x, axes, v => Math.Sqrt(Variance(v, 0))), dtype);
        if (x.Max(axes).Size < x.Size)
        {
            ShouldEqual(x.Variance(axes, correction: 1), ReduceReference(x, axes, v => Variance(v, 1)), dtype);
        }

        x.Max(axes, keepDims: true).Shape.Should().Be(x.Sum(axes, keepDims: true).Shape);
        x.Variance(axes, keepDims: true).Shape.Should().Be(x.Sum(axes, keepDims: true).Shape);
    }

    [Theory]
    [MemberData(nameof(AxisCases))]
    public void SoftmaxFamilyMatchesAScalarReference(DType dtype, int[] shape, int axis)
    {
        Tensor x = Tensor.RandomNormal(shape, seed: 6, std: 3.0, dtype: dtype);

        ShouldEqual(x.Softmax(axis), AlongAxisReference(x, axis, Softmax), dtype);
        ShouldEqual(x.LogSoftmax(axis), AlongAxisReference(x, axis, v => [.. Softmax(v).Select(s => Math.Log(s))]), dtype);
        ShouldEqual(x.LogSumExp(axis), ReduceReference(x, [axis], v => Math.Log(v.Sum(Math.Exp))), dtype);
        x.LogSumExp(axis, keepDims: true).Shape.Should().Be(x.Sum(axis, keepDims: true).Shape);
        x.Softmax(axis).Sum(axis).ToArray<double>().Should().OnlyContain(s => Math.Abs(s - 1) < 1e-6);
    }

    [Fact]
    public void VarianceByHand()
    {
        Tensor x = Tensor.FromArray([1.0, 2.0, 3.0, 4.0], 2, 2);

        // Rows [1,2] and [3,4]: mean 1.5 and 3.5, squared deviations 0.25 each.
        x.Variance(1).ToArray<double>().Should().Equal(0.25, 0.25);
        x.Variance(1, correction: 1).ToArray<double>().Should().Equal(0.5, 0.5);

        // All four: mean 2.5, squared deviations 2.25, 0.25, 0.25, 2.25.
        x.Variance().Item().Should().Be(1.25);
        x.Variance(correction: 1).Item().Should().BeApproximately(5.0 / 3.0, 1e-15);
        x.StandardDeviation(correction: 1).Item().Should().BeApproximately(Math.Sqrt(5.0 / 3.0), 1e-15);
    }

    [Fact]
    public void MaxTiesSplitTheGradientEvenly()
    {
        Tensor x = Tensor.FromArray([3.0, 1.0, 3.0, 4.0, 4.0, 4.0], 2, 3);

        // Row 0 ties at 3 (two elements), row 1 at 4 (three elements): each share is g / count.
        var (value, pullback) = Autodiff.Vjp(v => v.Max(1), x);
        value.ToArray<double>().Should().Equal(3.0, 4.0);
        pullback(Tensor.FromArray([1.0, 3.0])).ToArray<double>().Should().Equal(0.5, 0.0, 0.5, 1.0, 1.0, 1.0);

        // The JVP averages the tied elements' tangents.
        Tensor t = Tensor.FromArray([2.0, 100.0, 4.0, 1.0, 2.0, 6.0], 2, 3);
        Autodiff.Jvp(v => v.Max(1), x, t).Tangent.ToArray<double>().Should().Equal(3.0, 3.0);

        // Over every axis the tied maxima are the three 4s.
        Autodiff.Grad((Tensor v) => v.Max(), x).ToArray<double>().Should().Equal(0.0, 0.0, 0.0, 1.0 / 3, 1.0 / 3, 1.0 / 3);
        Autodiff.Grad(v => v.Max(0).Sum(), x).ToArray<double>().Should().Equal(0.0, 0.0, 0.0, 1.0, 1.0, 1.0);
    }

    [Fact]
    public void MinTiesSplitTheGradientEvenly()
    {
        Tensor x = Tensor.FromArray([1.0, 5.0, 1.0, 2.0, 0.0, 1.0], 2, 3);

        // Along rows: row 0 ties at 1 (columns 0 and 2). Along columns: column 2 ties at 1 (both rows).
        Autodiff.Grad(v => v.Min(1).Sum(), x).ToArray<double>().Should().Equal(0.5, 0.0, 0.5, 0.0, 1.0, 0.0);
        Autodiff.Grad(v => v.Min(0, keepDims: true).Sum(), x).ToArray<double>().Should().Equal(1.0, 0.0, 0.5, 0.0, 1.0, 0.5);
        Tensor t = Tensor.FromArray([2.0, 9.0, -4.0, 9.0, 3.0, 9.0], 2, 3);
        Autodiff.Jvp(v => v.Min(1), x, t).Tangent.ToArray<double>().Should().Equal(-1.0, 3.0);
    }

    [Fact]
    public void TiedGradientsSumToTheCotangentInFloat32()
    {
        // Three-way ties: 1/3 is not exact, but each group's shares still add up to g.
        Tensor x = Tensor.Full([4, 3], 2.5);
        Tensor grad = Autodiff.Grad(v => v.Max(1).Sum(), x);
        grad.DType.Should().Be(DType.Float32);
        grad.Sum(1).ToArray<double>().Should().OnlyContain(s => Math.Abs(s - 1) < 1e-6);
    }

    [Fact]
    public void MaxPropagatesNaN()
    {
        Tensor x = Tensor.FromArray([1.0, double.NaN, 3.0, 0.0], 2, 2);
        x.Max(1).ToArray<double>().Should().Satisfy(v => double.IsNaN(v), v => v == 3.0);
        x.Min(1).ToArray<double>().Should().Satisfy(v => double.IsNaN(v), v => v == 0.0);
    }

    [Fact]
    public void SoftmaxFamilyOfAnEmptyAxis()
    {
        // log Σ over nothing is log 0 = −∞ (as torch.logsumexp); softmax of an empty slice is empty.
        Tensor x = Tensor.Zeros([2, 0], DType.Float64);
        x.LogSumExp().ToArray<double>().Should().Equal(double.NegativeInfinity, double.NegativeInfinity);
        x.Softmax().Shape.Should().Be(new Shape(2, 0));
        x.LogSoftmax(0).Shape.Should().Be(new Shape(2, 0));
    }

    private static double Variance(double[] v, int correction)
    {
        double mean = v.Average();
        return v.Sum(e => (e - mean) * (e - mean)) / (v.Length - correction);
    }

    private static double[] Softmax(double[] v)
    {
        double max = v.Max();
        double[] e = [.. v.Select(a => Math.Exp(a - max))];
        return [.. e.Select(a => a / e.Sum())];
    }

    // Groups the elements by their index on the kept axes, in row-major order, and reduces each group.
    private static double[] ReduceReference(Tensor x, int[]? axes, Func<double[], double> reduce)
    {
        int[] dims = x.Shape.ToArray();
        int[] reduced = axes is null ? [.. Enumerable.Range(0, dims.Length)] : [.. axes.Select(a => a < 0 ? a + dims.Length : a)];
        double[] values = x.ToArray<double>();
        var groups = new SortedDictionary<int, List<double>>();
        for (int flat = 0; flat < values.Length; flat++)
        {
            int key = 0, rest = flat;
            int[] index = new int[dims.Length];
            for (int d = dims.Length - 1; d >= 0; d--)
            {
                index[d] = rest % dims[d];
                rest /= dims[d];
            }

            for (int d = 0; d < dims.Length; d++)
            {
                if (!reduced.Contains(d))
                {
                    key = (key * dims[d]) + index[d];
                }
            }

            if (!groups.TryGetValue(key, out List<double>? group))
            {
                groups[key] = group = [];
            }

            group.Add(values[flat]);
        }

        return [.. groups.Values.Select(g => reduce([.. g]))];
    }

    // Applies f to each slice along the axis and writes the results back in place.
    private static double[] AlongAxisReference(Tensor x, int axis, Func<double[], double[]> f)
    {
        int[] dims = x.Shape.ToArray();
        int n = dims[axis];
        int inner = dims.Skip(axis + 1).Aggregate(1, (a, b) => a * b);
        int outer = dims.Take(axis).Aggregate(1, (a, b) => a * b);
        double[] values = x.ToArray<double>();
        var result = new double[values.Length];
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                double[] slice = [.. Enumerable.Range(0, n).Select(k => values[(((o * n) + k) * inner) + i])];
                double[] mapped = f(slice);
                for (int k = 0; k < n; k++)
                {
                    result[(((o * n) + k) * inner) + i] = mapped[k];
                }
            }
        }

        return result;
    }

    private static void ShouldEqual(Tensor actual, double[] expected, DType dtype)
    {
        actual.DType.Should().Be(dtype);
        double tolerance = dtype == DType.Float32 ? 2e-6 : 1e-13;
        actual.ToArray<double>().Should().Equal(expected, (a, e) => Math.Abs(a - e) <= tolerance * Math.Max(1, Math.Abs(e)));
    }
}
