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
        // Each thread computes whole tiles of C with the one-thread code, so the split changes no rounding.
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

    /// <summary>
    /// Splits by columns (A read in place, or packed but with fewer row tiles than panels) and by rows (A packed: a
    /// leading dimension of 1024), with a short last row tile and a short last panel, several k slices, and two column
    /// blocks (n over 2048), for every transposition, in both modes.
    /// </summary>
    [Theory]
    [InlineData(256, 256, 256)]
    [InlineData(261, 97, 300)]
    [InlineData(8, 2000, 300)]
    [InlineData(13, 1000, 200)]
    [InlineData(100, 300, 600)]
    [InlineData(20, 2100, 60)]
    [InlineData(1024, 70, 30)]
    [InlineData(64, 200, 1024)]
    [InlineData(16, 300, 1024)]
    public void EverySplitIsBitIdenticalToOneThread(int m, int n, int k)
    {
        var random = new Random(m + n + k);
        float[] a = [.. Enumerable.Range(0, m * k).Select(_ => (float)random.NextDouble() - 0.5f)];
        float[] b = [.. Enumerable.Range(0, k * n).Select(_ => (float)random.NextDouble() - 0.5f)];
        float[] start = [.. Enumerable.Range(0, m * n).Select(_ => (float)random.NextDouble())];
        int saved = Parallelism.ThreadCount;
        try
        {
            foreach (bool overwrite in new[] { true, false })
            {
                foreach ((bool ta, bool tb) in new[] { (false, false), (true, false), (false, true), (true, true) })
                {
                    float[] Product(int threads)
                    {
                        Parallelism.ThreadCount = threads;
                        float[] c = [.. start];
                        Gemm.Multiply<float>(a, ta, b, tb, c, m, n, k, overwrite);
                        return c;
                    }

                    float[] one = Product(1);
                    Product(2).Should().Equal(one, $"2 threads, ta={ta}, tb={tb}, overwrite={overwrite}");
                    Product(3).Should().Equal(one, $"3 threads, ta={ta}, tb={tb}, overwrite={overwrite}");
                }
            }
        }
        finally
        {
            Parallelism.ThreadCount = saved;
        }
    }
}
