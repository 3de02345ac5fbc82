using System.Globalization;

namespace NeuralNet.Benchmarks.Workloads;

/// <summary><c>gemm-N</c>: an N×N by N×N Float32 matrix product, in GFLOPS.</summary>
internal static class GemmWorkload
{
    public static string Run(string name, int n)
    {
        Tensor x = Tensor.RandomNormal([n, n], seed: 1);
        Tensor y = Tensor.RandomNormal([n, n], seed: 2);
        double flops = 2.0 * n * n * n;
        double seconds = WorkloadRunner.MedianOfRounds(() => Tensor.MatMul(x, y), reps: Math.Max(3, (int)(2e9 / flops)));
        return string.Create(CultureInfo.InvariantCulture, $"{name} {flops / seconds / 1e9:F1} GFLOPS");
    }
}
