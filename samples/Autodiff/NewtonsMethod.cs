using NeuralNet;

namespace AutodiffSample;

/// <summary>
/// Second order: Newton's method on Rosenbrock's function with the exact Hessian (forward-over-reverse), and the
/// curvature of the loss along its gradient, gᵀHg / gᵀg, from one Hessian-vector product.
/// </summary>
internal static class NewtonsMethod
{
    /// <summary>f(x, y) = (1 − x)² + 100(y − x²)², minimum 0 at (1, 1).</summary>
    private static Tensor Rosenbrock(Tensor v)
    {
        Tensor x = v.Slice(0, 0, 1), y = v.Slice(0, 1, 1);
        return ((1.0 - x).Square() + (100.0 * (y - x.Square()).Square())).Sum();
    }

    public static void Run()
    {
        Console.WriteLine("Newton's method on Rosenbrock's function from (-1.2, 1): x <- x - H⁻¹·∇f");
        Console.WriteLine("  step          x            y          f(x,y)     curvature along ∇f");
        double[] x = [-1.2, 1.0];
        for (int step = 0; step <= 6; step++)
        {
            Tensor point = Tensor.FromArray(x);
            Tensor gradient = Autodiff.Grad(Rosenbrock, point);
            double[] g = gradient.ToArray<double>();
            double[] h = Autodiff.Hessian(Rosenbrock, point).ToArray<double>();

            // gᵀHg / gᵀg: the second derivative of f along the unit gradient direction, one HVP, no Hessian needed.
            double gg = (g[0] * g[0]) + (g[1] * g[1]);
            Tensor hg = Autodiff.HessianVectorProduct(Rosenbrock, point, gradient);
            string curvature = gg > 0 ? $"{Tensor.Dot(gradient, hg).Item() / gg,14:F4}" : "             -";
            Console.WriteLine($"  {step,4} {x[0],12:F8} {x[1],12:F8} {Rosenbrock(point).Item(),14:E3} {curvature}");

            double det = (h[0] * h[3]) - (h[1] * h[2]);
            x = [x[0] - (((h[3] * g[0]) - (h[1] * g[1])) / det), x[1] - (((h[0] * g[1]) - (h[2] * g[0])) / det)];
        }
    }
}
