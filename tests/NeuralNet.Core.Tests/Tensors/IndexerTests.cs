namespace NeuralNet.Tests.Tensors;

using NeuralNet;

/// <summary>The indexer against NumPy's basic indexing, worked by hand on x = [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]].</summary>
public class IndexerTests
{
    private static readonly Tensor X = Tensor.Arange(0, 12, dtype: DType.Float64).Reshape(3, 4);

    public static TheoryData<string, Func<Tensor, Tensor>, int[], double[]> Cases => new()
    {
        { "x[0]: the first row", x => x[0], [4], [0, 1, 2, 3] },
        { "x[^1]: the last row", x => x[^1], [4], [8, 9, 10, 11] },
        { "x[-1]: the last row", x => x[-1], [4], [8, 9, 10, 11] },
        { "x[1, 2]: one element, rank 0", x => x[1, 2], [], [6] },
        { "x[^1, ^1]", x => x[^1, ^1], [], [11] },
        { "x[.., 1..3]: two columns", x => x[.., 1..3], [3, 2], [1, 2, 5, 6, 9, 10] },
        { "x[1..]: rows from 1", x => x[1..], [2, 4], [4, 5, 6, 7, 8, 9, 10, 11] },
        { "x[.., ^1]: the last column", x => x[.., ^1], [3], [3, 7, 11] },
        { "x[::2]: every other row", x => x[TensorIndex.Slice(null, null, 2)], [2, 4], [0, 1, 2, 3, 8, 9, 10, 11] },
        { "x[:, 1::2]", x => x[.., TensorIndex.Slice(1, null, 2)], [3, 2], [1, 3, 5, 7, 9, 11] },
        { "x[-2:, :-1:2]", x => x[TensorIndex.Slice(-2), TensorIndex.Slice(null, -1, 2)], [2, 2], [4, 6, 8, 10] },
        { "x[..., 0]: the first column", x => x[TensorIndex.Ellipsis, 0], [3], [0, 4, 8] },
        { "x[NewAxis]", x => x[TensorIndex.NewAxis], [1, 3, 4], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] },
        { "x[.., NewAxis, 2]", x => x[.., TensorIndex.NewAxis, 2], [3, 1], [2, 6, 10] },
        { "x[1..100]: clamped, as Python", x => x[1..100], [2, 4], [4, 5, 6, 7, 8, 9, 10, 11] },
        { "x[2..1]: empty", x => x[2..1], [0, 4], [] },
        { "x[..]: everything", x => x[..], [3, 4], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void SelectsWhatNumPyWould(string label, Func<Tensor, Tensor> index, int[] shape, double[] values)
    {
        Tensor y = index(X);
        y.Shape.Should().Be(new Shape(shape), label);
        y.ToArray<double>().Should().Equal(values, label);
        y.DType.Should().Be(DType.Float64);
    }

    [Fact]
    public void ReverseModeWritesTheCotangentBackIntoThePositionsItCameFrom()
    {
        // d/dx Σ 3·x[::2, 1..3] is 3 at rows 0 and 2, columns 1 and 2, and 0 elsewhere.
        Tensor g = NeuralNet.Autodiff.Grad(v => (3.0 * v[TensorIndex.Slice(null, null, 2), 1..3]).Sum(), X);
        g.ToArray<double>().Should().Equal(0, 3, 3, 0, 0, 0, 0, 0, 0, 3, 3, 0);

        // x[0]·x[^1] summed: ∂/∂x[0] = x[2] and ∂/∂x[2] = x[0].
        Tensor h = NeuralNet.Autodiff.Grad(v => (v[0] * v[^1]).Sum(), X);
        h.ToArray<double>().Should().Equal(8, 9, 10, 11, 0, 0, 0, 0, 0, 1, 2, 3);
    }

    [Fact]
    public void ForwardModeIndexesTheTangent()
    {
        Tensor t = Tensor.Arange(100, 112, dtype: DType.Float64).Reshape(3, 4);
        var (value, tangent) = NeuralNet.Autodiff.Jvp(v => v[.., 2], X, t);
        value.ToArray<double>().Should().Equal(2, 6, 10);
        tangent.ToArray<double>().Should().Equal(102, 106, 110);
    }

    [Fact]
    public void AParametersRowOnATapeGetsItsGradient()
    {
        var w = new Parameter(Tensor.FromArray([1.0, 2.0, 3.0, 4.0], 2, 2), "w");
        using (var tape = Tape.Record())
        {
            tape.Backward((w[1] * w[1]).Sum());   // ∂/∂w[1] = 2·w[1] = [6, 8]
        }

        w.Grad!.ToArray<double>().Should().Equal(0, 0, 6, 8);
    }

    [Fact]
    public void ARankZeroResultFormatsAsANumber()
    {
        FormattableString.Invariant($"{X[1, 2]:F2}").Should().Be("6.00");
        $"{X[1, 2]}".Should().Be("Tensor(6, Float64)");
        var withDimensions = () => $"{X[0]:F2}";
        withDimensions.Should().Throw<FormatException>().WithMessage("Tensor: format \"F2\" applies to a rank-0 tensor; this one has shape [4]*");
    }

    [Fact]
    public void BadIndicesNameTheOpTheIndicesAndTheShape()
    {
        FluentActions.Invoking(() => X[TensorIndex.Ellipsis, 0, TensorIndex.Ellipsis]).Should().Throw<ArgumentException>()
            .WithMessage("Index: [..., 0, ...] has 2 ellipses; at most one is allowed (shape [3,4])*");
        FluentActions.Invoking(() => X[0, 1, 2]).Should().Throw<ArgumentException>()
            .WithMessage("Index: [0, 1, 2] indexes 3 axes of a tensor of shape [3,4] (2 axes)*");
        FluentActions.Invoking(() => X[3]).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Index: index 3 is out of range for axis 0 (size 3) of shape [3,4]*");
        FluentActions.Invoking(() => X[.., ^5]).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Index: index ^5 is out of range for axis 1 (size 4) of shape [3,4]*");
        FluentActions.Invoking(() => X[int.MinValue]).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Index: index ^2147483647 is out of range for axis 0 (size 3) of shape [3,4]*");
        X[TensorIndex.Slice(int.MinValue, int.MaxValue)].Shape.Should().Be(new Shape(3, 4));
        FluentActions.Invoking(() => TensorIndex.Slice(0, 3, 0)).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("TensorIndex.Slice: step 0 must be positive*");
    }

    [Fact]
    public void EvenTheWholeTensorIsACopyThatDoesNotFollowItsSource()
    {
        var p = new Parameter(Tensor.FromArray([1.0, 2.0, 3.0], 1, 3), "p");
        Tensor all = p[..], row = p[0], part = p[0, 0..2];
        all.Should().NotBeSameAs(p).And.NotBeOfType<Parameter>();
        p.Assign(Tensor.FromArray([7.0, 8.0, 9.0], 1, 3));
        all.ToArray<double>().Should().Equal(1, 2, 3);
        row.ToArray<double>().Should().Equal(1, 2, 3);
        part.ToArray<double>().Should().Equal(1, 2);
    }
}
