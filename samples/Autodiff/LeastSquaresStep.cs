using NeuralNet;

namespace AutodiffSample;

/// <summary>
/// Reverse mode as a training loop uses it: a tape records the loss of a <see cref="Parameter"/>, Backward fills
/// its Grad, and one gradient-descent step lowers the loss.
/// </summary>
internal static class LeastSquaresStep
{
    public static void Run()
    {
        // Fit y ≈ X·w to three points of y = 1 + 2t (columns of X: 1 and t).
        Tensor inputs = Tensor.FromArray(new double[,] { { 1, 1 }, { 1, 2 }, { 1, 3 } });
        Tensor targets = Tensor.FromArray(new double[,] { { 3 }, { 5 }, { 7 } });
        var w = new Parameter(Tensor.Zeros([2, 1], DType.Float64), "w");
        const double learningRate = 0.1;

        Tensor Loss(Tensor weights) => (inputs.MatMul(weights) - targets).Square().Mean();

        Console.WriteLine("One gradient-descent step on L(w) = mean((X·w − y)²), w = 0, learning rate 0.1:");
        using (var tape = Tape.Record())
        {
            Tensor loss = Loss(w);
            tape.Backward(loss);        // fills w.Grad = (2/3)·Xᵀ(X·w − y) = [-10, -68/3]
            Console.WriteLine($"  loss before  {loss.Item(),12:F6}");
            Console.WriteLine($"  gradient     {w.Grad}");
        }

        // The update runs outside any tape: it is a plain computation on values.
        var updated = new Parameter(w - learningRate * w.Grad!, "w");
        Console.WriteLine($"  w after      {updated.Detach()}");
        Console.WriteLine($"  loss after   {Loss(updated).Item(),12:F6}");
    }
}
