using BenchmarkDotNet.Attributes;
using NeuralNet;

namespace NeuralNet.Benchmarks;

/// <summary>
/// The skinny Float32 products of a small classifier's training step, where C is narrower or shorter than the
/// GEMM's 8×32 tile: a 10-class output layer on a 128 batch (forward and both gradients) and logistic regression
/// on the 1797×64 digits (forward, weight gradient, input gradient). GFLOPS = 2·m·n·k / time.
/// </summary>
[MemoryDiagnoser]
public class NarrowMatMulBenchmarks
{
    private readonly Tensor _h = Tensor.RandomNormal([128, 128], seed: 1);
    private readonly Tensor _w = Tensor.RandomNormal([10, 128], seed: 2);
    private readonly Tensor _g = Tensor.RandomNormal([128, 10], seed: 3);
    private readonly Tensor _x = Tensor.RandomNormal([1797, 64], seed: 4);
    private readonly Tensor _v = Tensor.RandomNormal([64, 10], seed: 5);
    private readonly Tensor _d = Tensor.RandomNormal([1797, 10], seed: 6);

    /// <summary>[128,128]·[10,128]ᵀ: n = 10.</summary>
    [Benchmark]
    public Tensor OutputForward() => Tensor.MatMul(_h, _w, transposeB: true);

    /// <summary>[128,10]ᵀ·[128,128]: m = 10.</summary>
    [Benchmark]
    public Tensor OutputWeightGradient() => Tensor.MatMul(_g, _h, transposeA: true);

    /// <summary>[1797,64]·[64,10]: n = 10, m large.</summary>
    [Benchmark]
    public Tensor DigitsForward() => _x.MatMul(_v);

    /// <summary>[1797,64]ᵀ·[1797,10]: n = 10, k large.</summary>
    [Benchmark]
    public Tensor DigitsWeightGradient() => Tensor.MatMul(_x, _d, transposeA: true);

    /// <summary>[1797,10]·[64,10]ᵀ: k = 10.</summary>
    [Benchmark]
    public Tensor DigitsInputGradient() => Tensor.MatMul(_d, _v, transposeB: true);
}
