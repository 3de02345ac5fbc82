using System.Globalization;

namespace NeuralNet.Benchmarks.Workloads;

/// <summary><c>gemm-N</c>: an N×N by N×N Float32 matrix product, disposed after each call, in GFLOPS.</summary>
internal static class GemmWorkload
{
    public static string Run(string name, int n)
    {
        Tensor x = Tensor.RandomNormal([n, n], seed: 1);
        Tensor y = Tensor.RandomNormal([n, n], seed: 2);
        double flops = 2.0 * n * n * n;
        double seconds = WorkloadRunner.MedianOfRounds(Product, reps: Math.Max(3, (int)(2e9 / flops)));
        void Product()
        {
            // What a user writes for a product used and dropped: the using gives its buffer back for the next call,
            // as the anchor's disposing its result gives LibTorch's caching allocator the buffer back.
            using Tensor product = Tensor.MatMul(x, y);
        }

        return string.Create(CultureInfo.InvariantCulture, $"{name} {flops / seconds / 1e9:F1} GFLOPS");
    }
}
