using NeuralNet;

namespace AutodiffSample;

/// <summary>
/// The notes' claim that a derivative costs a small constant times the function, counted from the ops that run:
/// their scalar example, then a Dense layer's 1 : 2 forward/backward matrix-product split.
/// </summary>
internal static class CostReportDemo
{
    /// <summary>f(x) = √(x² + exp(x²)) as the notes trace it: a = x², b = eᵃ, c = a + b, f = √c.</summary>
    private static Tensor SqrtExp(Tensor x)
    {
        Tensor a = x.Square();
        return (a + a.Exp()).Sqrt();
    }

    public static void Run()
    {
        Console.WriteLine("Cost of f(x) = sqrt(x² + exp(x²)) at x = 0.7 (Float64): Autodiff.Cost(f, x)");
        Console.Write(Autodiff.Cost(SqrtExp, Tensor.Scalar(0.7, DType.Float64)));

        const int n = 32, d = 784, h = 128;
        Tensor x = Tensor.RandomNormal([n, d], seed: 1);
        Tensor w = Tensor.RandomNormal([h, d], seed: 2);
        Tensor b = Tensor.Zeros([h]);
        Console.WriteLine();
        Console.WriteLine($"Cost of a Dense layer y = x·Wᵀ + b, batch n = {n}, in d = {d}, out h = {h} (Float32), gradients for x, W and b:");
        CostReport dense = Autodiff.Cost(v => Tensor.Linear(v[0], v[1], v[2]), [x, w, b]);
        Console.Write(dense);
        PrintSplit(dense);

        Console.WriteLine();
        Console.WriteLine("The same layer with x a constant (a first layer, whose input needs no gradient): only dW is a product");
        PrintSplit(Autodiff.Cost(v => Tensor.Linear(x, v[0], v[1]), [w, b]));
    }

    /// <summary>The forward product's FLOPs against the backward pass's products, 2·n·d·h each.</summary>
    private static void PrintSplit(CostReport report)
    {
        long forward = report.Total(CostPhase.Function, op: "Linear").Flops;
        long backward = report.Total(CostPhase.Vjp, CostStep.Adjoint, "MatMul").Flops;
        Console.WriteLine($"GEMM FLOPs: forward {forward:N0}, backward {backward:N0}: 1 : {(double)backward / forward:0.##}");
    }
}
