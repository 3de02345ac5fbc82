namespace NeuralNet.Tests.Autodiff;

using NeuralNet;

/// <summary>JacobianForward, JacobianReverse and Jacobian: values, shapes, the mode rule, and nesting.</summary>
public class JacobianTests
{
    private static readonly double[] Point = [0.7, -1.3, 0.4];

    // F(x) = [x₀·x₁ + sin x₂, exp(x₀) − x₂²], written with the existing ops only: components by one-hot dot
    // products, the output assembled from one-hot vectors.
    private static Tensor F(Tensor x)
    {
        Tensor x0 = Component(x, 0), x1 = Component(x, 1), x2 = Component(x, 2);
        return ((x0 * x1) + x2.Sin()) * OneHot(2, 0, x.DType) + (x0.Exp() - x2.Square()) * OneHot(2, 1, x.DType);
    }

    // ∂F/∂x = [[x₁, x₀, cos x₂], [exp x₀, 0, −2x₂]].
    private static double[] HandJacobian(double[] x) =>
        [x[1], x[0], Math.Cos(x[2]), Math.Exp(x[0]), 0, -2 * x[2]];

    [Fact]
    public void ForwardAndReverseEqualTheHandDerivedJacobian()
    {
        var x = Tensor.FromArray(Point);
        Tensor forward = Autodiff.JacobianForward(F, x);
        Tensor reverse = Autodiff.JacobianReverse(F, x);
        Tensor chosen = Autodiff.Jacobian(F, x);

        foreach (Tensor j in new[] { forward, reverse, chosen })
        {
            j.Shape.Should().Be(new Shape(2, 3));
            j.DType.Should().Be(DType.Float64);
            MaxError(j.ToArray<double>(), HandJacobian(Point)).Should().BeLessThan(1e-14);
        }

        MaxError(forward.ToArray<double>(), reverse.ToArray<double>()).Should().BeLessThan(1e-14);
    }

    [Fact]
    public void Float32InputsGiveAFloat32Jacobian()
    {
        var x = Tensor.FromArray(Point.Select(v => (float)v).ToArray());
        double[] at = x.ToArray<double>();
        foreach (Tensor j in new[] { Autodiff.JacobianForward(F, x), Autodiff.JacobianReverse(F, x) })
        {
            j.DType.Should().Be(DType.Float32);
            MaxError(j.ToArray<double>(), HandJacobian(at)).Should().BeLessThan(1e-6);
        }
    }

    [Fact]
    public void MlpParameterJacobiansAgreeAcrossModesAndWithFiniteDifferences()
    {
        // f(x, W₁, W₂) = sin(x·W₁)·W₂ on a batch of two: 3 → 4 → 2.
        static Tensor Mlp(Tensor[] p) => p[0].MatMul(p[1]).Sin().MatMul(p[2]);
        Tensor[] inputs =
        [
            Tensor.RandomNormal([2, 3], seed: 1, dtype: DType.Float64),
            Tensor.RandomNormal([3, 4], seed: 2, dtype: DType.Float64),
            Tensor.RandomNormal([4, 2], seed: 3, dtype: DType.Float64),
        ];

        Tensor[] forward = Autodiff.JacobianForward(Mlp, inputs);
        Tensor[] reverse = Autodiff.JacobianReverse(Mlp, inputs);
        Tensor[] chosen = Autodiff.Jacobian(Mlp, inputs);

        forward.Should().HaveCount(3);
        reverse.Should().HaveCount(3);
        for (int i = 0; i < inputs.Length; i++)
        {
            Shape expected = [2, 2, .. inputs[i].Shape.Dimensions];
            forward[i].Shape.Should().Be(expected);
            reverse[i].Shape.Should().Be(expected);
            chosen[i].Shape.Should().Be(expected);
            MaxError(forward[i].ToArray<double>(), reverse[i].ToArray<double>()).Should().BeLessThan(1e-12, $"input {i}");
            MaxError(chosen[i].ToArray<double>(), reverse[i].ToArray<double>()).Should().BeLessThan(1e-12, $"input {i}");
            MaxError(reverse[i].ToArray<double>(), FiniteDifferenceJacobian(Mlp, inputs, i)).Should().BeLessThan(1e-8, $"input {i}");
        }
    }

    [Fact]
    public void SeveralInputsGiveOneJacobianEach()
    {
        // f(a, b) = a ⊙ b: ∂f/∂a = diag(b), ∂f/∂b = diag(a).
        var a = Tensor.FromArray([1.0, 2.0, 3.0]);
        var b = Tensor.FromArray([-4.0, 5.0, 0.5]);
        foreach (Tensor[] js in new[]
        {
            Autodiff.JacobianForward(p => p[0] * p[1], [a, b]),
            Autodiff.JacobianReverse(p => p[0] * p[1], [a, b]),
        })
        {
            js[0].ToArray<double>().Should().Equal(-4, 0, 0, 0, 5, 0, 0, 0, 0.5);
            js[1].ToArray<double>().Should().Equal(1, 0, 0, 0, 2, 0, 0, 0, 3);
        }
    }

    [Fact]
    public void AnInputTheOutputDoesNotDependOnHasAZeroJacobian()
    {
        var a = Tensor.FromArray([1.0, 2.0]);
        var unused = Tensor.FromArray([3.0, 4.0, 5.0]);
        foreach (Tensor[] js in new[]
        {
            Autodiff.JacobianForward(p => p[0].Exp(), [a, unused]),
            Autodiff.JacobianReverse(p => p[0].Exp(), [a, unused]),
        })
        {
            js[1].Shape.Should().Be(new Shape(2, 3));
            js[1].ToArray<double>().Should().OnlyContain(v => v == 0);
        }
    }

    [Fact]
    public void MatrixInputAndOutputGiveOutputShapeThenInputShape()
    {
        // f(X) = X·A with X [2,3], A [3,4]: J[i,k,j,l] = δᵢⱼ·A[l,k].
        Tensor a = Tensor.RandomNormal([3, 4], seed: 7, dtype: DType.Float64);
        Tensor x = Tensor.RandomNormal([2, 3], seed: 8, dtype: DType.Float64);
        foreach (Tensor j in new[] { Autodiff.JacobianForward(m => m.MatMul(a), x), Autodiff.JacobianReverse(m => m.MatMul(a), x) })
        {
            j.Shape.Should().Be(new Shape(2, 4, 2, 3));
            for (int i = 0; i < 2; i++)
            {
                for (int k = 0; k < 4; k++)
                {
                    for (int r = 0; r < 2; r++)
                    {
                        for (int l = 0; l < 3; l++)
                        {
                            j[i, k, r, l].Item().Should().Be(i == r ? a[l, k].Item() : 0);
                        }
                    }
                }
            }
        }
    }

    [Fact]
    public void TransposeHasThePermutationJacobian()
    {
        Tensor x = Tensor.RandomNormal([2, 3], seed: 9, dtype: DType.Float64);
        Tensor j = Autodiff.Jacobian(m => m.Transpose(), x);
        j.Shape.Should().Be(new Shape(3, 2, 2, 3));
        for (int c = 0; c < 3; c++)
        {
            for (int r = 0; r < 2; r++)
            {
                for (int i = 0; i < 2; i++)
                {
                    for (int k = 0; k < 3; k++)
                    {
                        j[c, r, i, k].Item().Should().Be(i == r && k == c ? 1 : 0);
                    }
                }
            }
        }
    }

    [Fact]
    public void ScalarOutputGivesTheGradientsShapeAndScalarInputGivesTheOutputsShape()
    {
        Tensor x = Tensor.RandomNormal([2, 3], seed: 10, dtype: DType.Float64);
        Tensor gradient = Autodiff.Grad(m => m.Square().Sum(), x);
        foreach (Tensor j in new[] { Autodiff.JacobianForward(m => m.Square().Sum(), x), Autodiff.JacobianReverse(m => m.Square().Sum(), x) })
        {
            j.Shape.Should().Be(new Shape(2, 3));
            MaxError(j.ToArray<double>(), gradient.ToArray<double>()).Should().BeLessThan(1e-14);
        }

        var s = Tensor.Scalar(0.5, DType.Float64);
        var v = Tensor.FromArray([1.0, -2.0, 3.0, 4.0], 2, 2);
        foreach (Tensor j in new[] { Autodiff.JacobianForward(t => t * v, s), Autodiff.JacobianReverse(t => t * v, s) })
        {
            j.Shape.Should().Be(new Shape(2, 2));
            j.ToArray<double>().Should().Equal(1, -2, 3, 4);
        }

        Tensor scalarToScalar = Autodiff.Jacobian(t => t.Sin(), s);
        scalarToScalar.Shape.Should().Be(Shape.ScalarShape);
        scalarToScalar.Item().Should().Be(Math.Cos(0.5));
    }

    [Fact]
    public void EmptyInputsAndOutputsGiveEmptyJacobians()
    {
        var empty = Tensor.Zeros([0, 2], DType.Float64);
        var v = Tensor.FromArray([1.0, 2.0, 3.0]);
        Autodiff.JacobianForward(t => t.Sum() * v, empty).Shape.Should().Be(new Shape(3, 0, 2));
        Autodiff.JacobianReverse(t => t.Sum() * v, empty).Shape.Should().Be(new Shape(3, 0, 2));
        Autodiff.JacobianForward(t => t.Exp(), empty).Shape.Should().Be(new Shape(0, 2, 0, 2));
        Autodiff.JacobianReverse(t => t.Reshape(3, 1) * Tensor.Zeros([1, 0], DType.Float64), v).Shape.Should().Be(new Shape(3, 0, 3));
        Autodiff.Jacobian(t => t.Reshape(3, 1) * Tensor.Zeros([1, 0], DType.Float64), v).Shape.Should().Be(new Shape(3, 0, 3));
    }

    [Theory]
    [InlineData(2, 5, true)]
    [InlineData(5, 2, false)]
    [InlineData(3, 3, false)]
    public void JacobianPicksForwardModeOnlyForInputsSmallerThanTheOutput(int inputSize, int outputSize, bool forward)
    {
        Autodiff.PrefersForwardMode(inputSize, outputSize).Should().Be(forward);

        // Observable too: forward mode runs f once more per input element, reverse mode reuses its one recorded pass.
        Tensor map = Tensor.RandomNormal([inputSize, outputSize], seed: inputSize, dtype: DType.Float64);
        int calls = 0;
        Tensor G(Tensor input)
        {
            calls++;
            return input.Sin().MatMul(map);
        }

        Tensor x = Tensor.RandomNormal([inputSize], seed: 11, dtype: DType.Float64);
        Tensor chosen = Autodiff.Jacobian(G, x);
        calls.Should().Be(forward ? 1 + inputSize : 1);
        Tensor expected = forward ? Autodiff.JacobianForward(G, x) : Autodiff.JacobianReverse(G, x);
        chosen.ToArray<double>().Should().Equal(expected.ToArray<double>());
        chosen.Shape.Should().Be(new Shape(outputSize, inputSize));
    }

    [Fact]
    public void SeveralInputsPickTheModeByTheirTotalSize()
    {
        // Two inputs of 2 elements each (4 in total) into 3 outputs: reverse mode, one call.
        Tensor map = Tensor.RandomNormal([2, 3], seed: 12, dtype: DType.Float64);
        int calls = 0;
        Tensor G(Tensor[] p)
        {
            calls++;
            return (p[0] * p[1]).MatMul(map);
        }

        Tensor[] inputs = [Tensor.FromArray([1.0, 2.0]), Tensor.FromArray([3.0, -1.0])];
        Autodiff.Jacobian(G, inputs);
        calls.Should().Be(1);
        Autodiff.PrefersForwardMode(4, 3).Should().BeFalse();
    }

    [Fact]
    public void ForwardOverReverseGivesTheHessian()
    {
        // f(x) = x₀x₁x₂ + exp(x₀)·x₂.
        static Tensor Scalar(Tensor x)
        {
            Tensor x0 = Component(x, 0), x1 = Component(x, 1), x2 = Component(x, 2);
            return (x0 * x1 * x2) + (x0.Exp() * x2);
        }

        double e = Math.Exp(Point[0]);
        double[] hand =
        [
            e * Point[2], Point[2], Point[1] + e,
            Point[2], 0, Point[0],
            Point[1] + e, Point[0], 0,
        ];

        var x = Tensor.FromArray(Point);
        Tensor forwardOverReverse = Autodiff.JacobianForward(p => Autodiff.Grad(Scalar, p), x);
        Tensor reverseOverReverse = Autodiff.JacobianReverse(p => Autodiff.Grad(Scalar, p), x);
        foreach (Tensor h in new[] { forwardOverReverse, reverseOverReverse })
        {
            h.Shape.Should().Be(new Shape(3, 3));
            MaxError(h.ToArray<double>(), hand).Should().BeLessThan(1e-14);
        }
    }

    [Fact]
    public void JacobiansOfJacobiansGiveSecondDerivatives()
    {
        // ∂²F₀ = [[0, 1, 0], [1, 0, 0], [0, 0, −sin x₂]], ∂²F₁ = [[exp x₀, 0, 0], [0, 0, 0], [0, 0, −2]].
        double[] hand =
        [
            0, 1, 0, 1, 0, 0, 0, 0, -Math.Sin(Point[2]),
            Math.Exp(Point[0]), 0, 0, 0, 0, 0, 0, 0, -2,
        ];

        var x = Tensor.FromArray(Point);
        Tensor[] all =
        [
            Autodiff.JacobianForward(p => Autodiff.JacobianReverse(F, p), x),
            Autodiff.JacobianReverse(p => Autodiff.JacobianForward(F, p), x),
            Autodiff.JacobianForward(p => Autodiff.JacobianForward(F, p), x),
            Autodiff.JacobianReverse(p => Autodiff.JacobianReverse(F, p), x),
        ];
        foreach (Tensor second in all)
        {
            second.Shape.Should().Be(new Shape(2, 3, 3));
            MaxError(second.ToArray<double>(), hand).Should().BeLessThan(1e-14);
        }
    }

    [Fact]
    public void GradientsFlowThroughAJacobian()
    {
        // J of sin is diag(cos x), so ∇ Σ J = −sin x.
        var x = Tensor.FromArray([0.3, -1.1, 2.0]);
        double[] expected = x.ToArray<double>().Select(v => -Math.Sin(v)).ToArray();
        Tensor viaReverse = Autodiff.Grad(p => Autodiff.JacobianReverse(q => q.Sin(), p).Sum(), x);
        Tensor viaForward = Autodiff.Grad(p => Autodiff.JacobianForward(q => q.Sin(), p).Sum(), x);
        MaxError(viaReverse.ToArray<double>(), expected).Should().BeLessThan(1e-14);
        MaxError(viaForward.ToArray<double>(), expected).Should().BeLessThan(1e-14);
    }

    [Fact]
    public void AssemblyMixesConstantAndTrackedPieces()
    {
        // Rows of a 2×3 Jacobian: the first depends on x (2x), the second is a constant; only the first carries a gradient.
        var x = Tensor.FromArray([1.0, 2.0, 3.0]);
        var constant = Tensor.FromArray([4.0, 5.0, 6.0]);
        Tensor? assembled = null;
        Tensor gradient = Autodiff.Grad(
            p =>
            {
                assembled = Autodiff.Assemble([p * 2.0, constant], piecesAreRows: true, new Shape(2), new Shape(3), DType.Float64);
                return (assembled * Tensor.FromArray([1.0, 1.0, 1.0, 10.0, 10.0, 10.0], 2, 3)).Sum();
            },
            x);
        assembled!.ToArray<double>().Should().Equal(2, 4, 6, 4, 5, 6);
        gradient.ToArray<double>().Should().Equal(2, 2, 2);

        // The same as columns: column k is piece k.
        Tensor columns = Autodiff.Assemble([constant, x], piecesAreRows: false, new Shape(3), new Shape(2), DType.Float64);
        columns.Shape.Should().Be(new Shape(3, 2));
        columns.ToArray<double>().Should().Equal(4, 1, 5, 2, 6, 3);
    }

    [Fact]
    public void NullArgumentsAreRefused()
    {
        var x = Tensor.FromArray([1.0]);
        FluentActions.Invoking(() => Autodiff.Jacobian((Func<Tensor, Tensor>)null!, x)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => Autodiff.JacobianForward(t => t, (Tensor)null!)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => Autodiff.JacobianReverse(p => p[0], [x, null!])).Should().Throw<ArgumentNullException>()
            .WithMessage("JacobianReverse: input 1 is null*");
    }

    private static Tensor OneHot(int size, int index, DType dtype)
    {
        var values = new double[size];
        values[index] = 1;
        return Tensor.FromArray(values).To(dtype);
    }

    private static Tensor Component(Tensor x, int index) => (x * OneHot(x.Size, index, x.DType)).Sum();

    /// <summary>∂f/∂xᵢ by central differences, flattened in output ++ input order.</summary>
    private static double[] FiniteDifferenceJacobian(Func<Tensor[], Tensor> f, Tensor[] point, int i)
    {
        const double h = 1e-6;
        double[] x = point[i].ToArray<double>();
        int m = f(point).Size;
        var jacobian = new double[m * x.Length];
        for (int j = 0; j < x.Length; j++)
        {
            double[] plus = (double[])x.Clone(), minus = (double[])x.Clone();
            plus[j] += h;
            minus[j] -= h;
            double[] fPlus = f(With(point, i, plus)).ToArray<double>();
            double[] fMinus = f(With(point, i, minus)).ToArray<double>();
            for (int r = 0; r < m; r++)
            {
                jacobian[(r * x.Length) + j] = (fPlus[r] - fMinus[r]) / (plus[j] - minus[j]);
            }
        }

        return jacobian;
    }

    private static Tensor[] With(Tensor[] point, int i, double[] values)
    {
        Tensor[] copy = (Tensor[])point.Clone();
        copy[i] = Tensor.FromArray(values, point[i].Shape.ToArray());
        return copy;
    }

    /// <summary>The worst of |a − b| / max(1, |a|, |b|), as GradCheck measures; NaN shows as NaN.</summary>
    private static double MaxError(double[] actual, double[] expected)
    {
        actual.Length.Should().Be(expected.Length);
        double worst = 0;
        for (int k = 0; k < actual.Length; k++)
        {
            worst = Math.Max(worst, Math.Abs(actual[k] - expected[k]) / Math.Max(1.0, Math.Max(Math.Abs(actual[k]), Math.Abs(expected[k]))));
        }

        return worst;
    }
}
