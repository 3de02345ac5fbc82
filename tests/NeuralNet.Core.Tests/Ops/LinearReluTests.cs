namespace NeuralNet.Tests.Ops;

using NeuralNet;

/// <summary>
/// The fused linear-ReLU op against the two ops it replaces, relu(Linear(x, W, b)): the GEMM's ReLU epilogue must give
/// the same bits as <c>Relu</c> (TensorPrimitives' max with 0) on every tile shape and k slice, and the fused rules the
/// same gradients, tangents and second derivatives as the chain rule through the two ops.
/// </summary>
public class LinearReluTests
{
    public static TheoryData<int, int, int, bool, DType> Shapes()
    {
        var data = new TheoryData<int, int, int, bool, DType>();
        foreach (DType dtype in new[] { DType.Float32, DType.Float64 })
        {
            // rows not a multiple of any tile height, columns across full and one-vector panels and an edge,
            // k of one slice and of two (k > 256), and one product large enough to run on two threads
            data.Add(2, 3, 1, true, dtype);
            data.Add(7, 10, 5, true, dtype);
            data.Add(13, 37, 300, false, dtype);
            data.Add(128, 40, 784, true, dtype);
            data.Add(130, 256, 64, true, dtype);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ValuesAreBitForBitThoseOfLinearThenRelu(int n, int outputs, int features, bool bias, DType dtype)
    {
        var (x, w, b) = Operands(n, outputs, features, bias, dtype);
        int saved = Parallelism.ThreadCount;
        try
        {
            foreach (int threads in new[] { 1, 2 })
            {
                Parallelism.ThreadCount = threads;
                double[] expected = Tensor.Linear(x, w, b).Relu().ToArray<double>();
                double[] actual = Tensor.LinearRelu(x, w, b).ToArray<double>();
                actual.Select(BitConverter.DoubleToInt64Bits).Should().Equal(expected.Select(BitConverter.DoubleToInt64Bits), $"{threads} thread(s)");
                actual.Should().Contain(0.0, "the test needs negative pre-activations");
            }
        }
        finally
        {
            Parallelism.ThreadCount = saved;
        }
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void NaNPassesAndTheKinkIsZero(DType dtype)
    {
        // Row 0 of W is all zero, so its outputs are exactly the bias: 0 (the kink), −1 and NaN; a NaN input row
        // makes a whole row NaN. ReLU leaves NaN as NaN and maps 0 and −1 to 0.
        Tensor x = Tensor.FromArray([1.0, 2, double.NaN, 0], 2, 2).To(dtype);
        Tensor w = Tensor.FromArray([0.0, 0, 1, -1, 0.5, 0.5], 3, 2).To(dtype);
        Tensor b = Tensor.FromArray([0.0, -1, double.NaN], 3).To(dtype);
        double[] expected = Tensor.Linear(x, w, b).Relu().ToArray<double>();
        Tensor.LinearRelu(x, w, b).ToArray<double>().Should().Equal(expected, (p, q) => p.Equals(q));
        expected.Should().Equal([0.0, 0, double.NaN, double.NaN, double.NaN, double.NaN], (p, q) => p.Equals(q));
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void GradientsAreThoseOfTheChainRuleThroughBothOps(DType dtype)
    {
        var (x, w, b) = WithBias(9, 12, 20, dtype);
        Tensor weights = Tensor.RandomNormal([9, 12], seed: 7, dtype: dtype);
        Tensor Loss(Tensor y) => (y * weights).Sum();
        Tensor[] expected = Autodiff.Grad(v => Loss(Tensor.Linear(v[0], v[1], v[2]).Relu()), [x, w, b]);
        Tensor[] actual = Autodiff.Grad(v => Loss(Tensor.LinearRelu(v[0], v[1], v[2])), [x, w, b]);
        for (int i = 0; i < 3; i++)
        {
            actual[i].ToArray<double>().Should().Equal(expected[i].ToArray<double>(), $"input {i}");
        }
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void TangentsAreThoseOfTheChainRuleThroughBothOps(DType dtype)
    {
        var (x, w, b) = WithBias(9, 12, 20, dtype);
        Tensor[] tangents = [.. new[] { x, w, b }.Select((t, i) => Tensor.RandomNormal(t.Shape.ToArray(), seed: 20 + i, dtype: dtype))];
        Tensor expected = Autodiff.Jvp(v => Tensor.Linear(v[0], v[1], v[2]).Relu(), [x, w, b], tangents).Tangent;
        Tensor actual = Autodiff.Jvp(v => Tensor.LinearRelu(v[0], v[1], v[2]), [x, w, b], tangents).Tangent;
        actual.ToArray<double>().Should().Equal(expected.ToArray<double>());
    }

    [Fact]
    public void SecondDerivativesFollowTheTwoOps()
    {
        // A smooth loss of the rectified layer, so that its Hessian is not zero: Σ tanh(y)² depends on x through
        // the ReLU's mask and through W. The fused rules are themselves differentiable.
        var (x, w, b) = WithBias(5, 6, 4, DType.Float64);
        Tensor v = Tensor.RandomNormal([5, 4], seed: 9, dtype: DType.Float64);
        Tensor expected = Autodiff.HessianVectorProduct(u => Tensor.Linear(u, w, b).Relu().Tanh().Square().Sum(), x, v);
        Tensor actual = Autodiff.HessianVectorProduct(u => Tensor.LinearRelu(u, w, b).Tanh().Square().Sum(), x, v);
        actual.ToArray<double>().Should().Equal(expected.ToArray<double>());
        actual.ToArray<double>().Should().Contain(value => value != 0);
    }

    [Fact]
    public void GradientsAgreeWithFiniteDifferences()
    {
        var (x, w, b) = WithBias(4, 5, 3, DType.Float64);
        Autodiff.GradCheck(v => Tensor.LinearRelu(v[0], v[1], v[2]).Square().Sum(), [x, w, b]).Passed.Should().BeTrue();
    }

    [Fact]
    public void LeadingAxesAreFoldedAsLinearFoldsThem()
    {
        Tensor x = Tensor.RandomNormal([2, 3, 6], seed: 1, dtype: DType.Float64);
        Tensor w = Tensor.RandomNormal([4, 6], seed: 2, dtype: DType.Float64);
        Tensor y = Tensor.LinearRelu(x, w, null);
        y.Shape.Should().Be(new Shape(2, 3, 4));
        y.ToArray<double>().Should().Equal(Tensor.Linear(x, w).Relu().ToArray<double>());
    }

    private static (Tensor X, Tensor W, Tensor B) WithBias(int n, int outputs, int features, DType dtype)
    {
        var (x, w, b) = Operands(n, outputs, features, bias: true, dtype);
        return (x, w, b!);
    }

    /// <summary>Random operands whose products change sign, so the ReLU's mask has both values.</summary>
    private static (Tensor X, Tensor W, Tensor? B) Operands(int n, int outputs, int features, bool bias, DType dtype) =>
        (Tensor.RandomNormal([n, features], seed: n + 1, dtype: dtype),
         Tensor.RandomNormal([outputs, features], seed: outputs + 2, dtype: dtype),
         bias ? Tensor.RandomNormal([outputs], seed: features + 3, dtype: dtype) : null);
}
