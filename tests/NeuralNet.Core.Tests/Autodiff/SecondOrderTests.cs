namespace NeuralNet.Tests.Autodiff;

using NeuralNet;

/// <summary>Hessians and Hessian-vector products against closed forms, finite differences and each other.</summary>
public class SecondOrderTests
{
    /// <summary>Rosenbrock's function (1 − x)² + 100(y − x²)² of a 2-vector.</summary>
    private static Tensor Rosenbrock(Tensor v)
    {
        Tensor x = v.Slice(0, 0, 1), y = v.Slice(0, 1, 1);
        return ((1.0 - x).Square() + (100.0 * (y - x.Square()).Square())).Sum();
    }

    /// <summary>∇² = [[2 − 400(y − x²) + 800x², −400x], [−400x, 200]].</summary>
    private static double[] RosenbrockHessian(double x, double y) =>
        [2 - (400 * (y - (x * x))) + (800 * x * x), -400 * x, -400 * x, 200];

    [Theory]
    [InlineData(1.0, 1.0)]
    [InlineData(-1.2, 1.0)]
    [InlineData(0.3, -0.7)]
    public void RosenbrockHessianMatchesItsClosedForm(double x, double y)
    {
        Tensor h = Autodiff.Hessian(Rosenbrock, Tensor.FromArray([x, y]));

        h.Shape.Should().Be(new Shape(2, 2));
        h.ToArray<double>().Should().Equal(RosenbrockHessian(x, y), (a, b) => Math.Abs(a - b) <= 1e-12 * Math.Max(1, Math.Abs(b)));
        h[0, 1].Item().Should().Be(h[1, 0].Item());
    }

    [Fact]
    public void HessianVectorProductEqualsHessianTimesVectorAndFiniteDifferencesOfTheGradient()
    {
        Tensor point = Tensor.FromArray([-1.2, 1.0]), v = Tensor.FromArray([0.6, -0.8]);
        double[] hv = Autodiff.HessianVectorProduct(Rosenbrock, point, v).ToArray<double>();
        double[] h = RosenbrockHessian(-1.2, 1.0);
        hv[0].Should().BeApproximately((h[0] * 0.6) - (h[1] * 0.8), 1e-12);
        hv[1].Should().BeApproximately((h[2] * 0.6) - (h[3] * 0.8), 1e-12);

        // Central difference of the gradient along v: (∇f(x + εv) − ∇f(x − εv)) / 2ε, error O(ε²·∇³f).
        const double eps = 1e-5;
        double[] plus = Autodiff.Grad(Rosenbrock, point + (eps * v)).ToArray<double>();
        double[] minus = Autodiff.Grad(Rosenbrock, point - (eps * v)).ToArray<double>();
        for (int i = 0; i < 2; i++)
        {
            hv[i].Should().BeApproximately((plus[i] - minus[i]) / (2 * eps), 1e-6 * Math.Max(1, Math.Abs(hv[i])));
        }
    }

    [Fact]
    public void AllFourModeCombinationsGiveTheSameSymmetricHessian()
    {
        static Tensor F(Tensor x) => (x.Sin() * x.Square()).Sum() + x.Exp().Sum().Log() + (x.Reshape(1, 3).MatMul(x.Reshape(3, 1)) * 0.3).Sum();
        Tensor x = Tensor.FromArray([0.4, -1.1, 0.9]);

        Tensor forwardOverReverse = Autodiff.JacobianForward(u => Autodiff.JacobianReverse(F, u), x);
        Tensor reverseOverReverse = Autodiff.JacobianReverse(u => Autodiff.JacobianReverse(F, u), x);
        Tensor forwardOverForward = Autodiff.JacobianForward(u => Autodiff.JacobianForward(F, u), x);
        Tensor reverseOverForward = Autodiff.JacobianReverse(u => Autodiff.JacobianForward(F, u), x);
        Tensor hessian = Autodiff.Hessian(F, x);

        double[] expected = forwardOverReverse.ToArray<double>();
        foreach (Tensor other in new[] { reverseOverReverse, forwardOverForward, reverseOverForward, hessian })
        {
            other.Shape.Should().Be(new Shape(3, 3));
            other.ToArray<double>().Should().Equal(expected, (a, b) => Math.Abs(a - b) <= 1e-13);
        }

        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < i; j++)
            {
                hessian[i, j].Item().Should().BeApproximately(hessian[j, i].Item(), 1e-14);
            }
        }
    }

    [Fact]
    public void SeveralInputsGiveTheBlocksOfTheHessianTimesTheTangents()
    {
        // f(a, b) = a²·b: ∂²/∂a² = 2b, ∂²/∂a∂b = 2a, ∂²/∂b² = 0. At a = 3, b = 5 with tangents (1, 2):
        // H·v = [2b·1 + 2a·2, 2a·1 + 0·2] = [22, 6].
        Tensor[] hv = Autodiff.HessianVectorProduct(
            v => v[0].Square() * v[1], [Tensor.Scalar(3, DType.Float64), Tensor.Scalar(5, DType.Float64)],
            [Tensor.Scalar(1, DType.Float64), Tensor.Scalar(2, DType.Float64)]);
        hv.Select(t => t.Item()).Should().Equal(22, 6);
    }

    [Fact]
    public void ATapeCanDifferentiateItsOwnGradientWithCreateGraph()
    {
        // Gradient penalty: y = Σ w³; g = ∂y/∂w = 3w²; penalty = Σ g² = 9 Σ w⁴; ∂penalty/∂w = 36 w³.
        var w = new Parameter(Tensor.FromArray([0.5, -2.0]));
        using var tape = Tape.Record();
        Tensor y = (w * w * w).Sum();
        Tensor g = tape.Gradient(y, w, createGraph: true);
        g.ToArray<double>().Should().Equal(0.75, 12.0);

        Tensor penalty = g.Square().Sum();
        tape.Backward(penalty);
        w.Grad!.ToArray<double>().Should().Equal(36 * 0.125, 36 * -8.0);
    }

    [Fact]
    public void NewtonsMethodConvergesQuadraticallyOnRosenbrock()
    {
        // Newton steps x ← x − H⁻¹∇f from (−1.2, 1): Rosenbrock's minimum (1, 1) is reached in a handful of steps.
        double[] x = [-1.2, 1.0];
        for (int step = 0; step < 7; step++)
        {
            Tensor point = Tensor.FromArray(x);
            double[] g = Autodiff.Grad(Rosenbrock, point).ToArray<double>();
            double[] h = Autodiff.Hessian(Rosenbrock, point).ToArray<double>();
            double det = (h[0] * h[3]) - (h[1] * h[2]);
            x = [x[0] - (((h[3] * g[0]) - (h[1] * g[1])) / det), x[1] - (((h[0] * g[1]) - (h[2] * g[0])) / det)];
        }

        x[0].Should().BeApproximately(1, 1e-10);
        x[1].Should().BeApproximately(1, 1e-10);
    }
}
