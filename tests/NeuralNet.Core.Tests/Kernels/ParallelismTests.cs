namespace NeuralNet.Tests.Kernels;

using NeuralNet;

/// <summary>The thread-count setting: validated, and a product split over threads equals the one-thread product.</summary>
[Collection(nameof(ParallelismTests))]
public class ParallelismTests
{
    [Fact]
    public void RefusesFewerThanOneThread()
    {
        var act = () => Parallelism.ThreadCount = 0;
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Parallelism.ThreadCount: 0 threads; it must be at least 1.*");
        Parallelism.ThreadCount.Should().BeGreaterThanOrEqualTo(1);
    }

    [Theory]
    [InlineData(300, 400, 200)]
    [InlineData(400, 300, 200)]
    public void AProductSplitOverThreadsIsBitIdenticalToOneThread(int m, int n, int k)
    {
        // Each thread computes whole columns (or rows) of C with the one-thread code, so the split changes no rounding.
        Tensor a = Tensor.RandomNormal([m, k], seed: 1), b = Tensor.RandomNormal([k, n], seed: 2);
        int saved = Parallelism.ThreadCount;
        try
        {
            Parallelism.ThreadCount = 1;
            float[] one = Tensor.MatMul(a, b).ToArray<float>();
            Parallelism.ThreadCount = 3;
            float[] three = Tensor.MatMul(a, b).ToArray<float>();
            three.Should().Equal(one);
        }
        finally
        {
            Parallelism.ThreadCount = saved;
        }
    }
}
