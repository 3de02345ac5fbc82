// User code, so outside NeuralNet.Tests: there the namespace NeuralNet.Tests.Autodiff would hide the class Autodiff.
namespace Quickstart;

using NeuralNet;

/// <summary>
/// The README's quickstart, verbatim between the BEGIN/END markers, with assertions on the hand-derived numbers it
/// prints. If this file changes, README.md changes with it.
/// </summary>
public class QuickstartTests
{
    [Fact]
    public void ScalarAutodiff()
    {
        // BEGIN quickstart-scalar
        // f = x·y + z, and its gradient for an upstream gradient of -2 (reverse mode, one pass)
        var x = Tensor.Scalar(-2.0, DType.Float64);
        var y = Tensor.Scalar(3.0, DType.Float64);
        var z = Tensor.Scalar(-4.0, DType.Float64);
        var (f, pullback) = Autodiff.Vjp(v => v[0] * v[1] + v[2], x, y, z);
        Tensor[] g = pullback(Tensor.Scalar(-2.0, DType.Float64));
        Console.WriteLine($"f = {f.Item()}; df/dx = {g[0].Item()}, df/dy = {g[1].Item()}, df/dz = {g[2].Item()}");
        // prints f = -10; df/dx = -6, df/dy = 4, df/dz = -2

        // c(t) = t³ + 2t at t = 3: c' = 3t² + 2 = 29 in both modes, c'' = 6t = 18 (grad of grad)
        static Tensor Cubic(Tensor t) => t * t * t + 2 * t;
        var t = Tensor.Scalar(3.0, DType.Float64);
        double reverse = Autodiff.Grad(Cubic, t).Item();
        double forward = Autodiff.Jvp(Cubic, t, Tensor.OnesLike(t)).Tangent.Item();
        double second = Autodiff.Grad(u => Autodiff.Grad(Cubic, u), t).Item();
        Console.WriteLine($"c'(3) = {reverse} (reverse), {forward} (forward); c''(3) = {second}");
        // prints c'(3) = 29 (reverse), 29 (forward); c''(3) = 18
        // END quickstart-scalar

        f.Item().Should().Be(-10);
        g.Select(gi => gi.Item()).Should().Equal(-6, 4, -2);
        reverse.Should().Be(29);
        forward.Should().Be(29);
        second.Should().Be(18);
    }

    [Fact]
    public void GradientDescentOnATape()
    {
        // BEGIN quickstart-tape
        // Least squares: fit y = w₀ + w₁·t to (1, 3), (2, 5), (3, 7) by gradient descent
        Tensor X = Tensor.FromArray(new double[,] { { 1, 1 }, { 1, 2 }, { 1, 3 } });
        Tensor Y = Tensor.FromArray(new double[,] { { 3 }, { 5 }, { 7 } });
        var w = new Parameter(Tensor.Zeros([2, 1], DType.Float64), "w");
        var losses = new List<double>();
        for (int step = 0; step < 1000; step++)
        {
            using (var tape = Tape.Record())
            {
                Tensor loss = (X.MatMul(w) - Y).Square().Mean();
                tape.Backward(loss);                     // fills w.Grad = (2/3)·Xᵀ(X·w − Y)
                losses.Add(loss.Item());
            }

            w = new Parameter(w - 0.1 * w.Grad!, "w");   // w ← w − η·∇L, outside the tape
        }

        Console.WriteLine($"loss {losses[0]:F6} -> {losses[1]:F6} -> {losses[^1]:E1}; w = {w.Detach()}");
        // prints loss 27.666667 -> 0.331852 -> 1.1E-024; w = Tensor([[1], [2]], Float64)
        // END quickstart-tape

        // At w = 0: L = (9 + 25 + 49)/3 = 83/3 and ∇L = (2/3)·Xᵀ(−Y) = [−10, −68/3], so one step gives
        // w = [1, 34/15], residuals [4, 8, 12]/15 and L = (16 + 64 + 144)/(3·225) = 224/675.
        losses[0].Should().BeApproximately(83.0 / 3, 1e-12);
        losses[1].Should().BeApproximately(224.0 / 675, 1e-12);
        losses[^1].Should().BeLessThan(1e-18);
        w[0, 0].Should().BeApproximately(1, 1e-9);
        w[1, 0].Should().BeApproximately(2, 1e-9);
    }

    [Fact]
    public void JacobianAndGradCheck()
    {
        // BEGIN quickstart-jacobian
        // f(a, b) = [a·b, sin a]: its Jacobian at (2, 3) is [[b, a], [cos a, 0]] = [[3, 2], [cos 2, 0]]
        static Tensor F(Tensor v) => Tensor.Concatenate([v.Slice(0, 0, 1) * v.Slice(0, 1, 1), v.Slice(0, 0, 1).Sin()]);
        var point = Tensor.FromArray([2.0, 3.0]);
        Tensor jacobian = Autodiff.Jacobian(F, point);
        Console.WriteLine(jacobian);                  // prints Tensor([[3, 2], [-0.416147, 0]], Float64)

        // GradCheck: F's VJP and JVP against central finite differences, worst relative error per input
        GradCheckResult check = Autodiff.GradCheck(F, point);
        Console.WriteLine(check.Passed);              // prints True
        // END quickstart-jacobian

        jacobian.ToArray<double>().Should().Equal(3, 2, Math.Cos(2), 0);
        jacobian.ToString().Should().Be("Tensor([[3, 2], [-0.416147, 0]], Float64)");
        check.Passed.Should().BeTrue();
        check.MaxError.Should().BeLessThan(1e-8);
    }
}
