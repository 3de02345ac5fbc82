using BenchmarkDotNet.Attributes;
using NeuralNet;

namespace NeuralNet.Benchmarks;

/// <summary>
/// A 256×256 Float32 matrix product, forward alone and forward + backward (loss = Σ A·B, gradients for both
/// operands). Forward GFLOPS = 2·256³ / time; compare with the TorchSharp anchor's <c>gemm-256</c>.
/// </summary>
[MemoryDiagnoser]
public class MatMulBenchmarks
{
    private const int N = 256;

    private readonly Tensor _a = Tensor.RandomNormal([N, N], seed: 1);
    private readonly Tensor _b = Tensor.RandomNormal([N, N], seed: 2);
    private readonly Parameter _pa = new(Tensor.RandomNormal([N, N], seed: 1), "A");
    private readonly Parameter _pb = new(Tensor.RandomNormal([N, N], seed: 2), "B");

    [Benchmark(Baseline = true)]
    public Tensor Forward() => _a.MatMul(_b);

    [Benchmark]
    public Tensor ForwardBackward()
    {
        _pa.ZeroGrad();
        _pb.ZeroGrad();
        using var tape = Tape.Record();
        tape.Backward(_pa.MatMul(_pb).Sum());
        return _pb.Grad!;
    }
}
