namespace NeuralNet.Tests.Ops;

using NeuralNet;

/// <summary>
/// Forward values of the shape and indexing ops, and of Dot, Outer and OneHot, against references written out
/// by hand or by index arithmetic. Their derivatives are checked by the op table.
/// </summary>
public class ShapeOpsTests
{
    [Fact]
    public void SliceKeepsTheNamedPositionsOfOneAxis()
    {
        Tensor x = Iota(2, 4, 3);

        Tensor y = x.Slice(1, 1, 2);

        y.Shape.Should().Be(new Shape(2, 2, 3));
        y.ToArray<double>().Should().Equal(Reference([2, 2, 3], i => Flat([2, 4, 3], i[0], i[1] + 1, i[2])));
    }

    [Fact]
    public void SliceWithANegativeStartCountsFromTheEnd()
    {
        Tensor x = Tensor.FromArray([10.0, 11, 12, 13, 14]);

        x.Slice(0, -2, 2).ToArray<double>().Should().Equal(13, 14);
        x.Slice(-1, 1, 3).ToArray<double>().Should().Equal(11, 12, 13);
    }

    [Fact]
    public void SliceOfLengthZeroIsEmpty()
    {
        Tensor y = Iota(2, 3).Slice(1, 3, 0);

        y.Shape.Should().Be(new Shape(2, 0));
        y.Size.Should().Be(0);
    }

    [Fact]
    public void GatherPicksRowsInOrderWithRepeats()
    {
        Tensor x = Tensor.FromArray(new float[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } });

        Tensor y = x.Gather([2, 0, 2, -1]);

        y.Shape.Should().Be(new Shape(4, 2));
        y.DType.Should().Be(DType.Float32);
        y.ToArray<float>().Should().Equal(5, 6, 1, 2, 5, 6, 5, 6);
    }

    [Fact]
    public void GatherAlongAnInnerAxis()
    {
        Tensor x = Iota(2, 3, 4);
        int[] indices = [3, 0, 3];

        Tensor y = x.Gather(indices, axis: -1);

        y.Shape.Should().Be(new Shape(2, 3, 3));
        y.ToArray<double>().Should().Equal(Reference([2, 3, 3], i => Flat([2, 3, 4], i[0], i[1], indices[i[2]])));
    }

    [Fact]
    public void GatherWithNoIndicesIsEmpty()
    {
        Iota(3, 4).Gather([]).Shape.Should().Be(new Shape(0, 4));
    }

    [Fact]
    public void GatherGradientCountsHowOftenEachRowWasPicked()
    {
        // The VJP scatter-adds: row 2 was picked twice, row 1 never.
        Tensor x = Iota(3, 2);

        Tensor g = Autodiff.Grad(v => v.Gather([2, 0, 2]).Sum(), x);

        g.ToArray<double>().Should().Equal(1, 1, 0, 0, 2, 2);
    }

    [Fact]
    public void SliceGradientIsZeroOutsideTheSlice()
    {
        Tensor x = Iota(2, 4);

        Tensor g = Autodiff.Grad(v => (v.Slice(1, 1, 2) * v.Slice(1, 1, 2)).Sum(), x);

        g.ToArray<double>().Should().Equal(0, 2, 4, 0, 0, 10, 12, 0);
    }

    [Fact]
    public void ConcatenateJoinsAlongTheAxis()
    {
        Tensor a = Tensor.FromArray(new double[,] { { 1, 2 }, { 3, 4 } });
        Tensor b = Tensor.FromArray(new double[,] { { 5 }, { 6 } });
        Tensor c = Tensor.FromArray(new double[,] { { 7, 8 } });

        Tensor columns = Tensor.Concatenate([a, b], axis: 1);
        Tensor rows = Tensor.Concatenate([a, c]);

        columns.Shape.Should().Be(new Shape(2, 3));
        columns.ToArray<double>().Should().Equal(1, 2, 5, 3, 4, 6);
        rows.Shape.Should().Be(new Shape(3, 2));
        rows.ToArray<double>().Should().Equal(1, 2, 3, 4, 7, 8);
    }

    [Fact]
    public void ConcatenateOnAMiddleAxisInterleavesBlocks()
    {
        Tensor a = Iota(2, 1, 3);
        Tensor b = Iota(2, 2, 3) + 100;

        Tensor y = Tensor.Concatenate([a, b], axis: -2);

        y.Shape.Should().Be(new Shape(2, 3, 3));
        y.ToArray<double>().Should().Equal(Reference([2, 3, 3], i =>
            i[1] == 0 ? Flat([2, 1, 3], i[0], 0, i[2]) : 100 + Flat([2, 2, 3], i[0], i[1] - 1, i[2])));
    }

    [Fact]
    public void ConcatenateAcceptsEmptyParts()
    {
        Tensor y = Tensor.Concatenate([Iota(0, 2), Iota(1, 2), Tensor.Zeros([0, 2], DType.Float64)]);

        y.Shape.Should().Be(new Shape(1, 2));
        y.ToArray<double>().Should().Equal(0, 1);
    }

    [Fact]
    public void StackAddsANewAxis()
    {
        Tensor a = Tensor.FromArray([1f, 2, 3]);
        Tensor b = Tensor.FromArray([4f, 5, 6]);

        Tensor rows = Tensor.Stack([a, b]);
        Tensor columns = Tensor.Stack([a, b], axis: -1);
        Tensor scalars = Tensor.Stack([Tensor.Scalar(7), Tensor.Scalar(8)]);

        rows.Shape.Should().Be(new Shape(2, 3));
        rows.ToArray<float>().Should().Equal(1, 2, 3, 4, 5, 6);
        columns.Shape.Should().Be(new Shape(3, 2));
        columns.ToArray<float>().Should().Equal(1, 4, 2, 5, 3, 6);
        scalars.Shape.Should().Be(new Shape(2));
        scalars.ToArray<float>().Should().Equal(7, 8);
    }

    [Theory]
    [InlineData(new[] { 2, 1, 3, 1 }, new int[0], new[] { 2, 3 })]
    [InlineData(new[] { 2, 1, 3, 1 }, new[] { 1 }, new[] { 2, 3, 1 })]
    [InlineData(new[] { 2, 1, 3, 1 }, new[] { -1 }, new[] { 2, 1, 3 })]
    [InlineData(new[] { 1, 1 }, new int[0], new int[0])]
    [InlineData(new[] { 2, 3 }, new int[0], new[] { 2, 3 })]
    public void SqueezeRemovesSizeOneAxes(int[] shape, int[] axes, int[] expected)
    {
        Tensor x = Iota(shape);

        Tensor y = x.Squeeze(axes);

        y.Shape.Should().Be(new Shape(expected));
        y.ToArray<double>().Should().Equal(x.ToArray<double>());
    }

    [Theory]
    [InlineData(new[] { 2, 3 }, 0, new[] { 1, 2, 3 })]
    [InlineData(new[] { 2, 3 }, 1, new[] { 2, 1, 3 })]
    [InlineData(new[] { 2, 3 }, 2, new[] { 2, 3, 1 })]
    [InlineData(new[] { 2, 3 }, -1, new[] { 2, 3, 1 })]
    [InlineData(new[] { 2, 3 }, -3, new[] { 1, 2, 3 })]
    [InlineData(new int[0], 0, new[] { 1 })]
    public void UnsqueezeInsertsASizeOneAxis(int[] shape, int axis, int[] expected)
    {
        Tensor x = Iota(shape);

        Tensor y = x.Unsqueeze(axis);

        y.Shape.Should().Be(new Shape(expected));
        y.ToArray<double>().Should().Equal(x.ToArray<double>());
    }

    [Fact]
    public void OneHotSetsOneColumnPerLabel()
    {
        Tensor y = Tensor.OneHot([2, 0, 2], 3);

        y.Shape.Should().Be(new Shape(3, 3));
        y.DType.Should().Be(DType.Float32);
        y.ToArray<float>().Should().Equal(0, 0, 1, 1, 0, 0, 0, 0, 1);
        Tensor.OneHot([1], 2, DType.Float64).ToArray<double>().Should().Equal(0, 1);
        Tensor.OneHot([], 4).Shape.Should().Be(new Shape(0, 4));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(17)]
    [InlineData(33)]
    public void DotSumsTheProducts(int n)
    {
        // Lengths on both sides of the 256- and 512-bit vector widths, in both dtypes.
        Tensor a = Tensor.RandomNormal([n], seed: 1, dtype: DType.Float64);
        Tensor b = Tensor.RandomNormal([n], seed: 2, dtype: DType.Float64);
        double[] x = a.ToArray<double>(), y = b.ToArray<double>();
        double expected = x.Select((v, k) => v * y[k]).Sum();

        Tensor d = Tensor.Dot(a, b);
        Tensor f = Tensor.Dot(a.To(DType.Float32), b.To(DType.Float32));

        d.Shape.Should().Be(Shape.ScalarShape);
        d.Item().Should().BeApproximately(expected, 1e-12);
        f.DType.Should().Be(DType.Float32);
        f.Item().Should().BeApproximately(expected, 1e-5);
    }

    [Fact]
    public void OuterMultipliesEveryPair()
    {
        Tensor y = Tensor.Outer(Tensor.FromArray([1.0, 2, 3]), Tensor.FromArray([10.0, -1]));

        y.Shape.Should().Be(new Shape(3, 2));
        y.ToArray<double>().Should().Equal(10, -1, 20, -2, 30, -3);
    }

    [Fact]
    public void HessianVectorProductsNestThroughSliceGatherConcatenateAndDot()
    {
        // f(x) = Σₖ wₖ·(Ax)ₖ² with Ax = [x₁, x₂, x₀, x₀, x₃] built by Slice, Gather and Concatenate, so
        // H·v = 2·Aᵀ(w ⊙ Av). For these linear ops the op table's second-order check differentiates a constant;
        // here the adjoints (Pad, ScatterAdd, Slice) are themselves differentiated, in both nestings.
        Tensor w = Tensor.FromArray([1.0, 2, 3, 4, 5]);
        Tensor F(Tensor x) => Tensor.Dot(w, Tensor.Concatenate([x.Slice(0, 1, 2), x.Gather([0, 0, 3])]).Square());
        Tensor x = Tensor.FromArray([0.5, -1.0, 2.0, 1.5]);
        double[] v = [1.0, -2.0, 0.5, 3.0];
        double[] av = [v[1], v[2], v[0], v[0], v[3]];
        double[] wav = [.. av.Select((a, k) => 2 * (k + 1) * a)];
        double[] expected = [wav[2] + wav[3], wav[0], wav[1], wav[4]];
        Tensor direction = Tensor.FromArray(v);

        Tensor forwardOverReverse = Autodiff.Jvp(p => Autodiff.Grad(F, p), x, direction).Tangent;
        Tensor reverseOverReverse = Autodiff.Grad(p => Tensor.Dot(Autodiff.Grad(F, p), direction), x);

        forwardOverReverse.ToArray<double>().Should().Equal(expected);
        reverseOverReverse.ToArray<double>().Should().Equal(expected);
    }

    /// <summary>0, 1, 2, ... in Float64, in the given shape.</summary>
    private static Tensor Iota(params int[] shape)
    {
        int size = shape.Aggregate(1, (p, d) => p * d);
        return Tensor.FromArray([.. Enumerable.Range(0, size).Select(i => (double)i)]).Reshape(new Shape(shape));
    }

    /// <summary>The row-major offset of a multi-index, which is also its value in <see cref="Iota"/>.</summary>
    private static double Flat(int[] shape, params int[] index)
    {
        int offset = 0;
        for (int k = 0; k < shape.Length; k++)
        {
            offset = (offset * shape[k]) + index[k];
        }

        return offset;
    }

    /// <summary>The values of <paramref name="element"/> at every multi-index of <paramref name="shape"/>, row-major.</summary>
    private static double[] Reference(int[] shape, Func<int[], double> element)
    {
        int size = shape.Aggregate(1, (p, d) => p * d);
        var result = new double[size];
        var index = new int[shape.Length];
        for (int flat = 0; flat < size; flat++)
        {
            int rest = flat;
            for (int k = shape.Length - 1; k >= 0; k--)
            {
                index[k] = rest % shape[k];
                rest /= shape[k];
            }

            result[flat] = element(index);
        }

        return result;
    }
}
