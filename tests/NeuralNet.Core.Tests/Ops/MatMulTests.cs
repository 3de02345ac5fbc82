namespace NeuralNet.Tests.Ops;

using NeuralNet;

/// <summary>MatMul's shape rules (torch.matmul's) and values against a per-matrix reference.</summary>
public class MatMulTests
{
    [Theory]
    [InlineData(65537, 65536)]
    [InlineData(65536, 65536)]
    public void AProductTooLargeForAnArrayIsRefusedBeforeAnyKernelRuns(int m, int n)
    {
        // Before: the element count wrapped 32 bits, the GEMM wrote past a small array (an access violation), or
        // a null reference for exactly 2³² elements.
        var act = () => Tensor.Zeros([m, 1]).MatMul(Tensor.Zeros([1, n]));
        act.Should().Throw<ArgumentException>()
            .WithMessage($"MatMul: [{m},1] x [1,{n}]: the product would have {(long)m * n} elements, more than an array can hold*");
    }

    [Theory]
    [InlineData(new[] { 3, 4 }, new[] { 4, 5 }, new[] { 3, 5 })]
    [InlineData(new[] { 2, 3, 4 }, new[] { 2, 4, 5 }, new[] { 2, 3, 5 })]
    [InlineData(new[] { 2, 3, 4 }, new[] { 4, 5 }, new[] { 2, 3, 5 })]
    [InlineData(new[] { 3, 4 }, new[] { 2, 4, 5 }, new[] { 2, 3, 5 })]
    [InlineData(new[] { 2, 1, 3, 4 }, new[] { 5, 4, 6 }, new[] { 2, 5, 3, 6 })]
    [InlineData(new[] { 4 }, new[] { 4, 5 }, new[] { 5 })]
    [InlineData(new[] { 3, 4 }, new[] { 4 }, new[] { 3 })]
    [InlineData(new[] { 4 }, new[] { 4 }, new int[0])]
    [InlineData(new[] { 4 }, new[] { 2, 4, 5 }, new[] { 2, 5 })]
    public void ShapesAndValuesFollowTorchMatmul(int[] aShape, int[] bShape, int[] expectedShape)
    {
        Tensor a = Tensor.RandomNormal(aShape, seed: 1, dtype: DType.Float64);
        Tensor b = Tensor.RandomNormal(bShape, seed: 2, dtype: DType.Float64);
        Tensor c = a.MatMul(b);

        c.Shape.Should().Be(new Shape(expectedShape));
        c.ToArray<double>().Should().Equal(Reference(a, b), (x, y) => Math.Abs(x - y) < 1e-12);
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void TransposedOperandsEqualExplicitTransposes(bool transposeA, bool transposeB)
    {
        Tensor a = Tensor.RandomNormal(transposeA ? [2, 4, 3] : [2, 3, 4], seed: 3, dtype: DType.Float64);
        Tensor b = Tensor.RandomNormal(transposeB ? [5, 4] : [4, 5], seed: 4, dtype: DType.Float64);
        Tensor expected = (transposeA ? a.Permute(0, 2, 1) : a).MatMul(transposeB ? b.Transpose() : b);

        Tensor actual = Tensor.MatMul(a, b, transposeA, transposeB);

        actual.Shape.Should().Be(expected.Shape);
        actual.ToArray<double>().Should().Equal(expected.ToArray<double>(), (x, y) => Math.Abs(x - y) < 1e-12);
    }

    [Theory]
    [InlineData(new[] { 2, 3 }, new[] { 4, 5 }, "MatMul: [2,3] x [4,5]: inner dimensions 3 and 4 differ.")]
    [InlineData(new[] { 2, 3, 4 }, new[] { 3, 4, 5 }, "MatMul: [2,3,4] x [3,4,5]: batch axes [2] and [3] do not broadcast.")]
    [InlineData(new int[0], new[] { 4, 5 }, "MatMul: [] x [4,5]: operands must be vectors or matrices*")]
    public void BadShapesNameTheOpAndTheShapes(int[] aShape, int[] bShape, string message)
    {
        var act = () => Tensor.Ones(aShape).MatMul(Tensor.Ones(bShape));
        act.Should().Throw<ArgumentException>().WithMessage(message);
    }

    /// <summary>torch.matmul by definition: promote vectors, broadcast batches, multiply each matrix naively.</summary>
    private static double[] Reference(Tensor a, Tensor b)
    {
        int[] sa = a.Rank == 1 ? [1, a.Size] : a.Shape.ToArray();
        int[] sb = b.Rank == 1 ? [b.Size, 1] : b.Shape.ToArray();
        int m = sa[^2], k = sa[^1], n = sb[^1];
        Shape batch = Shape.Broadcast(sa[..^2], sb[..^2]);
        double[] x = a.BroadcastTo([.. batch.Dimensions, m, k]).ToArray<double>();
        double[] y = b.Reshape(sb).BroadcastTo([.. batch.Dimensions, k, n]).ToArray<double>();
        var result = new double[batch.Size * m * n];
        for (int t = 0; t < batch.Size; t++)
        {
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    double sum = 0;
                    for (int p = 0; p < k; p++)
                    {
                        sum += x[(t * m * k) + (i * k) + p] * y[(t * k * n) + (p * n) + j];
                    }

                    result[(t * m * n) + (i * n) + j] = sum;
                }
            }
        }

        return result;
    }
}
