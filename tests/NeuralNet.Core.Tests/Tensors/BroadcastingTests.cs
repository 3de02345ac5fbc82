namespace NeuralNet.Tests.Tensors;

using NeuralNet;

/// <summary>
/// Broadcasting binary ops, reductions and layout ops against scalar reference loops written here: each walks
/// the result's multi-indices in row-major order and reads each operand at the index NumPy's rules give
/// (aligned from the right; index 0 along an axis of size 1).
/// </summary>
public class BroadcastingTests
{
    public static TheoryData<int[], int[], int[]> BroadcastCases => new()
    {
        { [2, 1, 3], [4, 1], [2, 4, 3] },
        { [4, 1], [2, 1, 3], [2, 4, 3] },
        { [3], [2, 3], [2, 3] },
        { [2, 3], [3], [2, 3] },
        { [], [2, 3], [2, 3] },
        { [2, 3], [], [2, 3] },
        { [1], [2, 3], [2, 3] },
        { [2, 1], [1, 3], [2, 3] },
        { [1, 1, 5], [3, 1, 1], [3, 1, 5] },
        { [2, 3, 1, 4], [3, 5, 1], [2, 3, 5, 4] },
        { [2, 3], [2, 3], [2, 3] },
        { [0, 3], [3], [0, 3] },
        { [2, 0], [2, 1], [2, 0] },
        { [0], [], [0] },
        { [], [0], [0] },
    };

    [Theory]
    [MemberData(nameof(BroadcastCases))]
    public void BinaryOpsMatchAScalarReferenceLoop(int[] aShape, int[] bShape, int[] expectedShape)
    {
        Tensor a = Tensor.RandomUniform(aShape, seed: 1, low: -2, high: 2, dtype: DType.Float64);
        // b away from 0 (|b| in [0.5, 2)) so that division is well conditioned; both signs occur.
        Tensor b = Tensor.RandomUniform(bShape, seed: 2, low: 0.5, high: 2, dtype: DType.Float64) * Signs(bShape);

        var ops = new (string Name, Func<Tensor, Tensor, Tensor> Op, Func<double, double, double> Reference)[]
        {
            ("add", (x, y) => x + y, (x, y) => x + y),
            ("sub", (x, y) => x - y, (x, y) => x - y),
            ("mul", (x, y) => x * y, (x, y) => x * y),
            ("div", (x, y) => x / y, (x, y) => x / y),
        };

        foreach (var (name, op, reference) in ops)
        {
            Tensor result = op(a, b);
            result.Shape.Should().Be(new Shape(expectedShape), name);
            // Each element is one correctly rounded IEEE operation on the same two doubles: exactly equal.
            result.ToArray<double>().Should().Equal(ReferenceZip(a, b, expectedShape, reference), name);
        }
    }

    [Fact]
    public void ScalarOperandsWorkOnEitherSide()
    {
        var x = Tensor.FromArray(new double[] { 1, 2, 4 }, 3);
        (x + 1.0).ToArray<double>().Should().Equal(2, 3, 5);
        (1.0 + x).ToArray<double>().Should().Equal(2, 3, 5);
        (x - 1.0).ToArray<double>().Should().Equal(0, 1, 3);
        (1.0 - x).ToArray<double>().Should().Equal(0, -1, -3);
        (x * 2.0).ToArray<double>().Should().Equal(2, 4, 8);
        (2.0 * x).ToArray<double>().Should().Equal(2, 4, 8);
        (x / 2.0).ToArray<double>().Should().Equal(0.5, 1, 2);
        (2.0 / x).ToArray<double>().Should().Equal(2, 1, 0.5);
        (-x).ToArray<double>().Should().Equal(-1, -2, -4);

        var s = Tensor.Scalar(4, DType.Float64);
        (s - x).ToArray<double>().Should().Equal(3, 2, 0);
        (x / s).ToArray<double>().Should().Equal(0.25, 0.5, 1);
        (s / s).Shape.Should().Be(Shape.ScalarShape);
    }

    [Fact]
    public void IncompatibleShapesNameTheOpAndBothShapes()
    {
        var act = () => Tensor.Zeros([2, 3]) * Tensor.Zeros([4]);
        act.Should().Throw<ArgumentException>().WithMessage("Multiply: [2,3] and [4] do not broadcast*");
    }

    public static TheoryData<int[], int[]?, bool> ReductionCases => new()
    {
        { [2, 3, 4], [0], false },
        { [2, 3, 4], [1], false },
        { [2, 3, 4], [2], true },
        { [2, 3, 4], [-1], false },
        { [2, 3, 4], [0, 2], false },
        { [2, 3, 4], [2, 0], true },
        { [2, 3, 4], [-3, -2], false },
        { [2, 3, 4], [0, 1, 2], false },
        { [2, 3, 4], null, false },
        { [2, 3, 4], null, true },
        { [2, 1, 3, 5], [1, 3], false },
        { [5], [0], false },
        { [0, 3], [0], false },
        { [2, 0], [1], true },
        { [3, 2], [], false },
    };

    [Theory]
    [MemberData(nameof(ReductionCases))]
    public void SumAndMeanMatchAScalarReference(int[] shape, int[]? axes, bool keepDims)
    {
        Tensor x = Tensor.RandomUniform(shape, seed: 5, low: -1, high: 1, dtype: DType.Float64);
        var (expectedShape, sums, counts) = ReferenceSum(x, axes, keepDims);

        Tensor sum = x.Sum(axes, keepDims);
        sum.Shape.Should().Be(new Shape(expectedShape));
        // The kernel may add in another order: allow the rounding of a sum of ≤ 24 terms of magnitude ≤ 1.
        sum.ToArray<double>().Should().Equal(sums, (actual, expected) => Math.Abs(actual - expected) <= 1e-14);

        Tensor mean = x.Mean(axes, keepDims);
        mean.Shape.Should().Be(new Shape(expectedShape));
        double[] means = sums.Select(v => v / counts).ToArray();
        mean.ToArray<double>().Should().Equal(means, (actual, expected) =>
            (double.IsNaN(expected) && double.IsNaN(actual)) || Math.Abs(actual - expected) <= 1e-14);
    }

    [Fact]
    public void SumOfSmallIntegersIsExact()
    {
        // [[0, 1, 2], [3, 4, 5]]: column sums 3, 5, 7; row sums 3, 12; total 15.
        var x = Tensor.Arange(0, 6, dtype: DType.Float64).Reshape(2, 3);
        x.Sum(0).ToArray<double>().Should().Equal(3, 5, 7);
        x.Sum(1).ToArray<double>().Should().Equal(3, 12);
        x.Sum(1, keepDims: true).Shape.Should().Be(new Shape(2, 1));
        x.Sum().Item().Should().Be(15);
        x.Sum().Rank.Should().Be(0);
        x.Mean(0).ToArray<double>().Should().Equal(1.5, 2.5, 3.5);
        x.Mean().Item().Should().Be(2.5);
    }

    [Fact]
    public void ReductionAxesAreValidatedNamingTheOp()
    {
        var x = Tensor.Zeros([2, 3]);
        var range = () => x.Sum(2);
        range.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Sum: axis 2 is out of range for shape [2,3]*");
        var repeated = () => x.Mean([1, -1]);
        repeated.Should().Throw<ArgumentException>().WithMessage("Mean: axis -1 is repeated*");
    }

    public static TheoryData<int[], int[]> PermuteCases => new()
    {
        { [2, 3, 4], [2, 0, 1] },
        { [2, 3, 4], [1, 0, 2] },
        { [2, 3, 4], [0, 2, 1] },
        { [2, 3, 4], [-1, -2, -3] },
        { [2, 3, 4, 5], [3, 1, 0, 2] },
        { [2, 1, 4, 3], [0, 3, 1, 2] },
        { [2, 3, 4, 5], [0, 1, 2, 3] },
        { [2, 0, 3], [2, 1, 0] },
    };

    [Theory]
    [MemberData(nameof(PermuteCases))]
    public void PermuteMatchesAScalarReference(int[] shape, int[] axes)
    {
        Tensor x = Tensor.Arange(0, new Shape(shape).Size, dtype: DType.Float64).Reshape(shape);
        int rank = shape.Length;
        int[] perm = axes.Select(a => a < 0 ? a + rank : a).ToArray();
        int[] outShape = perm.Select(p => shape[p]).ToArray();

        // result[i₀..iₙ] = x[j] with j[perm[k]] = i[k].
        double[] source = x.ToArray<double>();
        int[] inStrides = new Shape(shape).Strides();
        var expected = new List<double>();
        foreach (int[] index in Indices(outShape))
        {
            int offset = 0;
            for (int k = 0; k < rank; k++)
            {
                offset += index[k] * inStrides[perm[k]];
            }

            expected.Add(source[offset]);
        }

        Tensor result = x.Permute(axes);
        result.Shape.Should().Be(new Shape(outShape));
        result.ToArray<double>().Should().Equal(expected);
    }

    [Fact]
    public void TransposeSwapsRowsAndColumns()
    {
        var m = Tensor.FromArray(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        Tensor t = m.Transpose();
        t.Shape.Should().Be(new Shape(3, 2));
        t.ToArray<float>().Should().Equal(1, 4, 2, 5, 3, 6);
        t.Transpose().ToArray<float>().Should().Equal(1, 2, 3, 4, 5, 6);

        var act = () => Tensor.Zeros([2, 3, 4]).Transpose();
        act.Should().Throw<ArgumentException>().WithMessage("Transpose: expects a matrix; the input has shape [2,3,4]*");
    }

    [Fact]
    public void PermuteRefusesANonPermutation()
    {
        var x = Tensor.Zeros([2, 3, 4]);
        var tooFew = () => x.Permute(1, 0);
        tooFew.Should().Throw<ArgumentException>().WithMessage("Permute: 2 axes [1,0] for shape [2,3,4]*");
        var repeated = () => x.Permute(0, 0, 1);
        repeated.Should().Throw<ArgumentException>().WithMessage("Permute: axis 0 is repeated*");
    }

    public static TheoryData<int[], int[]> BroadcastToCases => new()
    {
        { [3], [2, 3] },
        { [2, 1], [2, 4] },
        { [1, 3, 1], [2, 3, 4] },
        { [], [2, 2] },
        { [4, 1, 2], [3, 4, 5, 2] },
        { [2, 3], [2, 3] },
        { [1], [0] },
    };

    [Theory]
    [MemberData(nameof(BroadcastToCases))]
    public void BroadcastToRepeatsAndSumToIsItsAdjoint(int[] from, int[] to)
    {
        Tensor x = Tensor.Arange(1, 1 + new Shape(from).Size, dtype: DType.Float64).Reshape(from);
        Tensor b = x.BroadcastTo(to);
        b.Shape.Should().Be(new Shape(to));
        b.ToArray<double>().Should().Equal(ReferenceZip(x, Tensor.Zeros(to, DType.Float64), to, (u, _) => u));

        // SumTo is the adjoint of BroadcastTo: ⟨BroadcastTo(x), y⟩ = ⟨x, SumTo(y)⟩ for every y, and for integer
        // values below 2⁵³ both sides are exact.
        Tensor y = Tensor.Arange(0, new Shape(to).Size, dtype: DType.Float64).Reshape(to) * 3 - 2;
        Tensor summed = y.SumTo(from);
        summed.Shape.Should().Be(new Shape(from));
        (b * y).Sum().Item().Should().Be((x * summed).Sum().Item());
    }

    [Fact]
    public void SumToAddsOverBroadcastAxes()
    {
        // [[0, 1, 2], [3, 4, 5]] summed to [1, 3] gives column sums; to [2, 1] row sums; to [] everything.
        var y = Tensor.Arange(0, 6, dtype: DType.Float64).Reshape(2, 3);
        y.SumTo([1, 3]).ToArray<double>().Should().Equal(3, 5, 7);
        y.SumTo([3]).ToArray<double>().Should().Equal(3, 5, 7);
        y.SumTo([3]).Shape.Should().Be(new Shape(3));
        y.SumTo([2, 1]).ToArray<double>().Should().Equal(3, 12);
        y.SumTo(Shape.ScalarShape).Item().Should().Be(15);

        var act = () => y.SumTo([2]);
        act.Should().Throw<ArgumentException>().WithMessage("SumTo*[2]*[2,3]*");
        var up = () => Tensor.Zeros([3]).BroadcastTo([3, 2]);
        up.Should().Throw<ArgumentException>().WithMessage("BroadcastTo*[3]*[3,2]*");
    }

    [Fact]
    public void ReshapeKeepsRowMajorOrderAndInfersMinusOne()
    {
        var x = Tensor.Arange(0, 24, dtype: DType.Float64);
        x.Reshape(2, -1, 4).Shape.Should().Be(new Shape(2, 3, 4));
        x.Reshape(-1, 6).Shape.Should().Be(new Shape(4, 6));
        x.Reshape(2, 3, 4)[1, 2, 3].Item().Should().Be(23); // 1·12 + 2·4 + 3
        x.Reshape(4, 6).Reshape(-1).ToArray<double>().Should().Equal(x.ToArray<double>());
        Tensor.Scalar(5).Reshape(-1).Shape.Should().Be(new Shape(1));
        Tensor.Zeros([0, 3]).Reshape(3, 0).Shape.Should().Be(new Shape(3, 0));

        var two = () => x.Reshape(-1, -1);
        two.Should().Throw<ArgumentException>().WithMessage("Reshape: [24] to [-1,-1]*");
        var size = () => x.Reshape(5, -1);
        size.Should().Throw<ArgumentException>().WithMessage("Reshape: [24] (24 elements) cannot be viewed as [5,-1]*");
        var fixedSize = () => x.Reshape(5, 5);
        fixedSize.Should().Throw<ArgumentException>().WithMessage("Reshape: [24] (24 elements) cannot be viewed as [5,5] (25 elements)*");
    }

    /// <summary>±1 in a fixed pattern, so that both signs of b occur.</summary>
    private static Tensor Signs(int[] shape)
    {
        int size = new Shape(shape).Size;
        return Tensor.FromArray(Enumerable.Range(0, size).Select(i => i % 3 == 1 ? -1.0 : 1.0).ToArray(), shape.Length == 0 ? [] : shape);
    }

    /// <summary>Every multi-index of <paramref name="shape"/>, in row-major order.</summary>
    private static IEnumerable<int[]> Indices(int[] shape)
    {
        int size = new Shape(shape).Size;
        var index = new int[shape.Length];
        for (int n = 0; n < size; n++)
        {
            yield return (int[])index.Clone();
            for (int axis = shape.Length - 1; axis >= 0; axis--)
            {
                if (++index[axis] < shape[axis])
                {
                    break;
                }

                index[axis] = 0;
            }
        }
    }

    /// <summary>The flat offset of operand <paramref name="shape"/> at a result index, under NumPy broadcasting.</summary>
    private static int OperandOffset(int[] shape, int[] resultIndex)
    {
        int lead = resultIndex.Length - shape.Length;
        int offset = 0;
        for (int k = 0; k < shape.Length; k++)
        {
            offset = (offset * shape[k]) + (shape[k] == 1 ? 0 : resultIndex[lead + k]);
        }

        return offset;
    }

    private static double[] ReferenceZip(Tensor a, Tensor b, int[] shape, Func<double, double, double> f)
    {
        double[] x = a.ToArray<double>(), y = b.ToArray<double>();
        int[] xs = a.Shape.ToArray(), ys = b.Shape.ToArray();
        return Indices(shape).Select(i => f(x[OperandOffset(xs, i)], y[OperandOffset(ys, i)])).ToArray();
    }

    /// <summary>Sums by accumulating every input element into the output cell its index maps to.</summary>
    private static (int[] Shape, double[] Sums, int Count) ReferenceSum(Tensor x, int[]? axes, bool keepDims)
    {
        int[] shape = x.Shape.ToArray();
        int rank = shape.Length;
        bool[] reduced = new bool[rank];
        foreach (int a in axes ?? Enumerable.Range(0, rank).ToArray())
        {
            reduced[a < 0 ? a + rank : a] = true;
        }

        int[] kept = shape.Select((d, i) => reduced[i] ? 1 : d).ToArray();
        int[] outShape = keepDims ? kept : shape.Where((_, i) => !reduced[i]).ToArray();
        int count = shape.Where((_, i) => reduced[i]).Aggregate(1, (p, d) => p * d);
        var sums = new double[new Shape(kept).Size];
        double[] values = x.ToArray<double>();
        int n = 0;
        foreach (int[] index in Indices(shape))
        {
            int offset = 0;
            for (int k = 0; k < rank; k++)
            {
                offset = (offset * kept[k]) + (reduced[k] ? 0 : index[k]);
            }

            sums[offset] += values[n++];
        }

        return (outShape, sums, count);
    }
}
