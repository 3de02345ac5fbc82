using BenchmarkDotNet.Attributes;
using NeuralNet;

namespace NeuralNet.Benchmarks;

/// <summary>
/// df/dx of f(x) = sqrt(x² + exp(x²)) on a Float64 scalar: the per-op overhead of a small graph
/// (five ops forward, their rules backward). Compare with the TorchSharp anchor's <c>scalar-graph</c>.
/// </summary>
[MemoryDiagnoser]
public class ScalarGradBenchmarks
{
    private readonly Tensor _x = Tensor.Scalar(0.7, DType.Float64);
    private readonly Parameter _p = new(Tensor.Scalar(0.7, DType.Float64), "x");

    private static Tensor F(Tensor x) => (x * x + (x * x).Exp()).Sqrt();

    /// <summary>The functional transform: a tape of its own, watched input, pullback.</summary>
    [Benchmark(Baseline = true)]
    public double AutodiffGrad() => Autodiff.Grad(F, _x).Item();

    /// <summary>The training-loop way: a tape over a parameter, Backward, read Grad.</summary>
    [Benchmark]
    public double TapeOnParameter()
    {
        _p.ZeroGrad();
        using var tape = Tape.Record();
        tape.Backward(F(_p));
        return _p.Grad!.Item();
    }
}
