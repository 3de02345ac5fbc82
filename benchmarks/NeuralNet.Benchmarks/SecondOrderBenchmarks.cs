using BenchmarkDotNet.Attributes;
using NeuralNet;

namespace NeuralNet.Benchmarks;

/// <summary>
/// The cost of a Hessian-vector product against one gradient, on the cross-entropy loss of a 784-256-10 tanh MLP
/// over a batch of 64 (Float32). Forward-over-reverse should cost a small constant times the gradient (≤ 5×).
/// </summary>
[MemoryDiagnoser]
public class SecondOrderBenchmarks
{
    private const int Batch = 64;

    private readonly Tensor _images = Tensor.RandomNormal([Batch, 784], seed: 1);
    private readonly Tensor _targets = Tensor.OneHot([.. Enumerable.Range(0, Batch).Select(i => i % 10)], 10);
    private readonly Tensor _w1 = Tensor.RandomNormal([784, 256], seed: 2, std: 0.05);
    private readonly Tensor _w2 = Tensor.RandomNormal([256, 10], seed: 3, std: 0.05);
    private readonly Tensor _v1 = Tensor.RandomNormal([784, 256], seed: 4);
    private readonly Tensor _v2 = Tensor.RandomNormal([256, 10], seed: 5);

    /// <summary>∇L with respect to both weight matrices (the baseline).</summary>
    [Benchmark(Baseline = true)]
    public Tensor[] Gradient() => Autodiff.Grad(Loss, [_w1, _w2]);

    /// <summary>∇²L·v with respect to both weight matrices, by forward-over-reverse.</summary>
    [Benchmark]
    public Tensor[] HessianVectorProduct() => Autodiff.HessianVectorProduct(Loss, [_w1, _w2], [_v1, _v2]);

    private Tensor Loss(Tensor[] w)
    {
        Tensor logits = _images.MatMul(w[0]).Tanh().MatMul(w[1]);
        return -(logits.LogSoftmax() * _targets).Sum() / Batch;
    }
}
