namespace NeuralNet.Layers.Tests;

using NeuralNet;
using NeuralNet.Layers;

public class LossTests
{
    private static readonly double Ln2 = Math.Log(2), Ln3 = Math.Log(3);

    // ---- Mean squared error ----

    [Fact]
    public void MeanSquaredErrorValueAndGradient()
    {
        // p = [1, 2, 3], t = [0, 2, 5]: (1 + 0 + 4)/3; ∂/∂p = 2(p − t)/n = [2/3, 0, −4/3].
        Tensor p = TestHelpers.F64([1, 2, 3], 3), t = TestHelpers.F64([0, 2, 5], 3);
        Losses.MeanSquaredError(p, t).Item().Should().BeApproximately(5 / 3.0, 1e-15);
        Losses.MeanSquaredError(p, t, Reduction.Sum).Item().Should().Be(5);
        Losses.MeanSquaredError(p, t, Reduction.None).ShouldEqual([1, 0, 4], 0);
        Autodiff.Grad(q => Losses.MeanSquaredError(q, t), p).ShouldEqual([2 / 3.0, 0, -4 / 3.0], 1e-15);
        Autodiff.GradCheck(xs => Losses.MeanSquaredError(xs[0], xs[1]), [p, t]).Passed.Should().BeTrue();
    }

    // ---- Mean absolute error ----

    [Fact]
    public void MeanAbsoluteErrorValueAndGradient()
    {
        // p = [1, −2, 3], t = [0.5, −2, 5]: |d| = [0.5, 0, 2], mean 2.5/3; ∂/∂p = sign(p − t)/n = [1/3, 0, −1/3], 0 at
        // the tie as PyTorch's L1Loss (sgn(0) = 0).
        Tensor p = TestHelpers.F64([1, -2, 3], 3), t = TestHelpers.F64([0.5, -2, 5], 3);
        Losses.MeanAbsoluteError(p, t).Item().Should().BeApproximately(2.5 / 3, 1e-15);
        Losses.MeanAbsoluteError(p, t, Reduction.Sum).Item().Should().Be(2.5);
        Losses.MeanAbsoluteError(p, t, Reduction.None).ShouldEqual([0.5, 0, 2], 0);
        Autodiff.Grad(q => Losses.MeanAbsoluteError(q, t), p).ShouldEqual([1 / 3.0, 0, -1 / 3.0], 1e-15);
        FluentActions.Invoking(() => Losses.MeanAbsoluteError(p, TestHelpers.F64([1, 2], 2)))
            .Should().Throw<ArgumentException>().WithMessage("MeanAbsoluteError: prediction [3] and target [2]*");
    }

    // ---- Negative log-likelihood ----

    [Fact]
    public void NegativeLogLikelihoodPicksEachRowsLabel()
    {
        // Rows [−1, −2, −3] label 2 and [−0.5, −1.5, −2.5] label 0: losses 3 and 0.5, mean 1.75; ∂/∂x = −1/2 at (0, 2)
        // and (1, 0), 0 elsewhere. A class of probability 0 (−∞) elsewhere in a row changes nothing.
        Tensor x = TestHelpers.F64([-1, -2, -3, -0.5, double.NegativeInfinity, -2.5], 2, 3);
        Losses.NegativeLogLikelihood(x, [2, 0], Reduction.None).ShouldEqual([3, 0.5], 0);
        Losses.NegativeLogLikelihood(x, [2, 0]).Item().Should().Be(1.75);
        Losses.NegativeLogLikelihood(x, [2, 0], Reduction.Sum).Item().Should().Be(3.5);
        Autodiff.Grad(v => Losses.NegativeLogLikelihood(v, [2, 0]), x).ShouldEqual([0, 0, -0.5, -0.5, 0, 0], 0, shape: [2, 3]);
        FluentActions.Invoking(() => Losses.NegativeLogLikelihood(x, [0, 3]))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("NegativeLogLikelihood: label 3 (at position 1) is out of range for 3 classes*");
    }

    [Fact]
    public void NegativeLogLikelihoodOfALogSoftmaxIsTheCrossEntropy()
    {
        Tensor z = Logits();
        Losses.NegativeLogLikelihood(z.LogSoftmax(1), [2, 1]).Item().Should().BeApproximately(Losses.CrossEntropy(z, [2, 1]).Item(), 1e-15);
        Autodiff.Grad(v => Losses.NegativeLogLikelihood(v.LogSoftmax(1), [2, 1]), z)
            .ShouldEqual(Autodiff.Grad(v => Losses.CrossEntropy(v, [2, 1]), z).ToArray<double>(), 1e-15, shape: [2, 3]);
    }

    // ---- Cross-entropy ----

    // Row 0 = row 1 = [0, ln 2, ln 3], whose softmax is [1, 2, 3]/6: label 2 costs −ln(3/6) = ln 2, label 1 costs ln 3.
    private static Tensor Logits() => TestHelpers.F64([0, Ln2, Ln3, 0, Ln2, Ln3], 2, 3);

    [Fact]
    public void CrossEntropyWithLabelsHasExactValues()
    {
        Losses.CrossEntropy(Logits(), [2, 1], Reduction.None).ShouldEqual([Ln2, Ln3], 1e-15);
        Losses.CrossEntropy(Logits(), [2, 1]).Item().Should().BeApproximately(Math.Log(6) / 2, 1e-15);
        Losses.CrossEntropy(Logits(), [2, 1], Reduction.Sum).Item().Should().BeApproximately(Math.Log(6), 1e-15);
    }

    [Fact]
    public void CrossEntropyIgnoresMaskedMinusInfinityLogits()
    {
        // Row [0, ln 3, −∞] with label 1: softmax over the finite entries is [1/4, 3/4, 0], so ℓ = −ln(3/4); the
        // gradient is softmax − onehot = [1/4, −1/4, 0], finite everywhere.
        Tensor logits = Tensor.FromArray([0.0, Math.Log(3), double.NegativeInfinity], 1, 3);
        Losses.CrossEntropy(logits, [1]).Item().Should().BeApproximately(-Math.Log(0.75), 1e-15);
        double[] gradient = Autodiff.Grad(z => Losses.CrossEntropy(z, [1]), logits).ToArray<double>();
        gradient.Should().Equal([0.25, -0.25, 0.0], (a, b) => Math.Abs(a - b) < 1e-15);
    }

    [Fact]
    public void CrossEntropyGradientIsSoftmaxMinusOneHotOverTheBatch()
    {
        // (softmax − onehot)/2: row 0 [1/6, 2/6, 3/6 − 1]/2, row 1 [1/6, 2/6 − 1, 3/6]/2.
        Autodiff.Grad(z => Losses.CrossEntropy(z, [2, 1]), Logits())
            .ShouldEqual([1 / 12.0, 1 / 6.0, -1 / 4.0, 1 / 12.0, -1 / 3.0, 1 / 4.0], 1e-15, shape: [2, 3]);
        Autodiff.GradCheck(z => Losses.CrossEntropy(z, [2, 1]), Logits()).Passed.Should().BeTrue();
    }

    [Fact]
    public void CrossEntropyWithProbabilitiesHasExactValuesAndGradient()
    {
        // Targets [½, ½, 0] on [0, ln 2, ln 3]: −(½ ln(1/6) + ½ ln(2/6)) = ½ ln 18; per-row gradient softmax − p.
        Tensor target = TestHelpers.F64([0.5, 0.5, 0, 0, 0, 1], 2, 3);
        Losses.CrossEntropy(Logits(), target, Reduction.None).ShouldEqual([0.5 * Math.Log(18), Ln2], 1e-15);
        Autodiff.Grad(z => Losses.CrossEntropy(z, target), Logits())
            .ShouldEqual([(1 / 6.0 - 0.5) / 2, (2 / 6.0 - 0.5) / 2, 0.25, 1 / 12.0, 1 / 6.0, -1 / 4.0], 1e-15, shape: [2, 3]);
        Autodiff.GradCheck(xs => Losses.CrossEntropy(xs[0], xs[1]), [Logits(), target]).Passed.Should().BeTrue();

        // One-hot probabilities give the label form.
        Losses.CrossEntropy(Logits(), Tensor.OneHot([2, 1], 3, DType.Float64)).Item()
            .Should().BeApproximately(Losses.CrossEntropy(Logits(), [2, 1]).Item(), 1e-15);
    }

    [Theory]
    [InlineData(3, 8)]
    [InlineData(70, 1)]
    public void TiedMaximaGetEqualProbabilitiesInFloat32(int classes, int rows)
    {
        // Each row [5, 5, −1000, …] has softmax [½, ½, 0, …] (e^−1005 is 0 in Float32): with the mean over the rows, the
        // gradient of a row labelled 0 is (softmax − onehot)/rows, exactly [−½, ½, 0, …]/rows. Both kernels (short rows
        // batched, rows of 64 classes and more one at a time) exponentiate in vectors, which may round e⁰ up by an ulp.
        double[] row = [5, 5, .. Enumerable.Repeat(-1000.0, classes - 2)];
        Tensor z = Tensor.FromArray([.. Enumerable.Repeat(row, rows).SelectMany(r => r)], rows, classes).To(DType.Float32);
        int[] labels = new int[rows];
        double[] expectedRow = [-0.5 / rows, 0.5 / rows, .. new double[classes - 2]];
        Autodiff.Grad(v => Losses.CrossEntropy(v, labels), z).ToArray<double>()
            .Should().Equal(Enumerable.Repeat(expectedRow, rows).SelectMany(r => r));
        Losses.CrossEntropy(z, labels, Reduction.None).ToArray<double>().Should().OnlyContain(v => v == (double)MathF.Log(2));
    }

    [Fact]
    public void ARowOfManyClassesDominatedByItsMaxHasAnExactLoss()
    {
        // 70 classes, the per-row kernel: logsumexp([1000, −1000, 0, …]) = 1000 + log(1 + e^−2000 + 68·e^−1000), which is
        // 1000 in Float32; so the losses of labels 0, 1 and 2 are 0, 2000 and 1000 exactly.
        double[] row = [1000, -1000, .. Enumerable.Repeat(0.0, 68)];
        Tensor z = Tensor.FromArray([.. row, .. row, .. row], 3, 70).To(DType.Float32);
        Losses.CrossEntropy(z, [0, 1, 2], Reduction.None).ToArray<double>().Should().Equal(0, 2000, 1000);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(1000)]
    public void CrossEntropyOfManyClassesInFloat32IsWithinAFewRoundingsOfTheFloat64Value(int classes)
    {
        // Float32 logits; the reference is the same logits' loss in Float64, log Σ exp(z − m) − (z_y − m) summed in
        // double. The Float32 result carries a rounding of each exp, of the sum and of the log: its error is a few
        // units of 2⁻²⁴ relative to the log-sum-exp (whose size is about log(classes)).
        Tensor z = Tensor.RandomNormal([16, classes], seed: classes, std: 3, dtype: DType.Float32);
        int[] labels = [.. Enumerable.Range(0, 16).Select(i => (i * 37) % classes)];
        double[] logits = z.ToArray<double>();
        double[] actual = Losses.CrossEntropy(z, labels, Reduction.None).ToArray<double>();
        for (int i = 0; i < 16; i++)
        {
            double[] row = logits[(i * classes)..((i + 1) * classes)];
            double m = row.Max();
            double logSumExp = Math.Log(row.Sum(v => Math.Exp(v - m)));
            double expected = logSumExp - (row[labels[i]] - m);
            Math.Abs(actual[i] - expected).Should().BeLessThan(4 * Math.Pow(2, -24) * (logSumExp + Math.Abs(row[labels[i]] - m)), $"row {i}");
        }
    }

    [Theory]
    [InlineData(DType.Float64)]
    [InlineData(DType.Float32)]
    public void CrossEntropyIsStableAtLogitsOfAThousand(DType dtype)
    {
        // logsumexp([1000, −1000, 0]) = 1000 + log(1 + e^−1000 + e^−2000) = 1000 to within 1e-434.
        Tensor z = Tensor.FromArray([1000.0, -1000, 0, 1000, -1000, 0, 1000, -1000, 0], 3, 3).To(dtype);
        Losses.CrossEntropy(z, [0, 1, 2], Reduction.None).ShouldEqual([0, 2000, 1000], 0);
        Autodiff.Grad(v => Losses.CrossEntropy(v, [0, 1, 2]), z)
            .ShouldEqual([0, 0, 0, 1 / 3.0, -1 / 3.0, 0, 1 / 3.0, 0, -1 / 3.0], dtype == DType.Float64 ? 1e-15 : 1e-7, shape: [3, 3]);
    }

    [Fact]
    public void CrossEntropyErrorsNameTheLossAndShapes()
    {
        FluentActions.Invoking(() => Losses.CrossEntropy(Logits(), [0, 3]))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("CrossEntropy: label 3 (at position 1) is out of range for 3 classes*");
        FluentActions.Invoking(() => Losses.CrossEntropy(Logits(), [-1, 0]))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("CrossEntropy: label -1*");
        FluentActions.Invoking(() => Losses.CrossEntropy(Logits(), [0, 1, 2]))
            .Should().Throw<ArgumentException>().WithMessage("CrossEntropy: logits [2,3]*n = 3*");
        FluentActions.Invoking(() => Losses.CrossEntropy(Logits(), TestHelpers.F64([1, 0], 1, 2)))
            .Should().Throw<ArgumentException>().WithMessage("CrossEntropy: logits [2,3] and targetProbabilities [1,2]*");
    }

    // ---- Binary cross-entropy ----

    [Fact]
    public void BinaryCrossEntropyValueAndGradient()
    {
        // p = [½, ¼, ¾], y = [1, 0, 1]: [ln 2, ln(4/3), ln(4/3)]; ∂/∂p = (p − y)/(p(1 − p))/n = [−2, 4/3, −4/3]/3.
        Tensor p = TestHelpers.F64([0.5, 0.25, 0.75], 3), y = TestHelpers.F64([1, 0, 1], 3);
        Losses.BinaryCrossEntropy(p, y, Reduction.None).ShouldEqual([Ln2, Math.Log(4 / 3.0), Math.Log(4 / 3.0)], 1e-15);
        Autodiff.Grad(q => Losses.BinaryCrossEntropy(q, y), p).ShouldEqual([-2 / 3.0, 4 / 9.0, -4 / 9.0], 1e-15);
        Autodiff.GradCheck(xs => Losses.BinaryCrossEntropy(xs[0], xs[1]), [p, TestHelpers.F64([0.9, 0.2, 0.6], 3)]).Passed.Should().BeTrue();
    }

    [Fact]
    public void BinaryCrossEntropyFloorsTheLogAtMinusOneHundredLikePyTorch()
    {
        // Confidently wrong at p = 0 or 1 costs 100, confidently right costs 0; no NaN in value or gradient.
        Tensor p = TestHelpers.F64([0, 1, 0, 1, 1e-50], 5), y = TestHelpers.F64([1, 0, 0, 1, 1], 5);
        Losses.BinaryCrossEntropy(p, y, Reduction.None).ShouldEqual([100, 100, 0, 0, 100], 0);
        Tensor g = Autodiff.Grad(q => Losses.BinaryCrossEntropy(q, y, Reduction.Sum), p);
        g.ToArray<double>().Should().OnlyContain(v => double.IsFinite(v));

        // Where the floor is active the gradient is 0; the un-floored term of a right answer gives ±1/(1 − 0).
        g.ShouldEqual([0, 0, 1, -1, 0], 0);
    }

    [Fact]
    public void BinaryCrossEntropyRefusesProbabilitiesOutsideTheUnitInterval()
    {
        FluentActions.Invoking(() => Losses.BinaryCrossEntropy(TestHelpers.F64([0.5, 1.5], 2), TestHelpers.F64([1, 0], 2)))
            .Should().Throw<ArgumentException>().WithMessage("BinaryCrossEntropy: probability 1.5 (at flat index 1 of [2]) is outside [0, 1].*");
        FluentActions.Invoking(() => Losses.BinaryCrossEntropy(TestHelpers.F64([0.5], 1), TestHelpers.F64([1, 0], 2)))
            .Should().Throw<ArgumentException>().WithMessage("BinaryCrossEntropy: probabilities [1] and targets [2]*");
    }

    [Fact]
    public void BinaryCrossEntropyWithLogitsValueAndGradient()
    {
        // x = [0, ln 3, −ln 3], y = [1, 0, 1]: softplus(x) − xy = [ln 2, ln 4, ln 4]; ∂/∂x = (σ(x) − y)/n = [−½, ¾, −¾]/3.
        Tensor x = TestHelpers.F64([0, Ln3, -Ln3], 3), y = TestHelpers.F64([1, 0, 1], 3);
        Losses.BinaryCrossEntropyWithLogits(x, y, Reduction.None).ShouldEqual([Ln2, 2 * Ln2, 2 * Ln2], 1e-15);
        Losses.BinaryCrossEntropyWithLogits(x, y).Item().Should().BeApproximately(5 * Ln2 / 3, 1e-15);
        Autodiff.Grad(v => Losses.BinaryCrossEntropyWithLogits(v, y), x).ShouldEqual([-0.5 / 3, 0.25, -0.25], 1e-15);
        Autodiff.GradCheck(xs => Losses.BinaryCrossEntropyWithLogits(xs[0], xs[1]), [x, TestHelpers.F64([0.3, 0.9, 0.1], 3)])
            .Passed.Should().BeTrue();

        // It equals BCE of the sigmoid where the sigmoid is accurate.
        Tensor probabilities = x.Sigmoid();
        Losses.BinaryCrossEntropyWithLogits(x, y).Item()
            .Should().BeApproximately(Losses.BinaryCrossEntropy(probabilities, y).Item(), 1e-15);
    }

    [Theory]
    [InlineData(DType.Float64)]
    [InlineData(DType.Float32)]
    public void BinaryCrossEntropyWithLogitsIsStableAtAHundred(DType dtype)
    {
        // Right answers cost log1p(e^−100) ≈ 3.72e−44 (kept, not rounded to 0), wrong ones 100 + 3.72e−44;
        // the gradient σ(x) − y keeps its tiny entries too.
        Tensor x = Tensor.FromArray([100.0, 100, -100, -100], 4).To(dtype);
        Tensor y = Tensor.FromArray([1.0, 0, 1, 0], 4).To(dtype);
        double tiny = Math.Exp(-100);
        Losses.BinaryCrossEntropyWithLogits(x, y, Reduction.None).ShouldEqual([tiny, 100, 100, tiny], dtype == DType.Float64 ? 1e-50 : 1e-5);
        Autodiff.Grad(v => Losses.BinaryCrossEntropyWithLogits(v, y, Reduction.Sum), x)
            .ShouldEqual([-tiny, 1, -1, tiny], dtype == DType.Float64 ? 1e-50 : 1e-7);
    }

    // ---- Hinge ----

    [Fact]
    public void HingeValueAndGradient()
    {
        // s = [2, ½, −1, 0], y = [1, 1, 1, −1]: [0, ½, 2, 1], mean ⅞; ∂/∂s = −y·[ys < 1]/n = [0, −¼, −¼, ¼].
        Tensor s = TestHelpers.F64([2, 0.5, -1, 0], 4), y = TestHelpers.F64([1, 1, 1, -1], 4);
        Losses.Hinge(s, y, Reduction.None).ShouldEqual([0, 0.5, 2, 1], 0);
        Losses.Hinge(s, y).Item().Should().Be(0.875);
        Autodiff.Grad(v => Losses.Hinge(v, y), s).ShouldEqual([0, -0.25, -0.25, 0.25], 0);
        Autodiff.GradCheck(v => Losses.Hinge(v, y), TestHelpers.F64([1.5, 0.5, -1, 0.2], 4)).Passed.Should().BeTrue();
        FluentActions.Invoking(() => Losses.Hinge(s, TestHelpers.F64([1, 0, 1, -1], 4)))
            .Should().Throw<ArgumentException>().WithMessage("Hinge: target 0 (at flat index 1 of [4]) must be -1 or +1.*");
    }

    // ---- Gaussian negative log-likelihood ----

    [Fact]
    public void GaussianNegativeLogLikelihoodValueAndGradients()
    {
        // μ = [1, 2], x = [2, 2], σ² = [1, 4]: ½(0 + 1) and ½(ln 4 + 0) = ln 2; mean (½ + ln 2)/2.
        // ∂/∂μ = (μ − x)/σ²/n = [−½, 0]; ∂/∂σ² = ½(1/σ² − (x − μ)²/σ⁴)/n = [0, 1/16].
        Tensor mu = TestHelpers.F64([1, 2], 2), x = TestHelpers.F64([2, 2], 2), variance = TestHelpers.F64([1, 4], 2);
        Losses.GaussianNegativeLogLikelihood(mu, x, variance, reduction: Reduction.None).ShouldEqual([0.5, Ln2], 1e-15);
        Losses.GaussianNegativeLogLikelihood(mu, x, variance).Item().Should().BeApproximately((0.5 + Ln2) / 2, 1e-15);
        Losses.GaussianNegativeLogLikelihood(mu, x, variance, full: true).Item()
            .Should().BeApproximately(((0.5 + Ln2) / 2) + (0.5 * Math.Log(2 * Math.PI)), 1e-15);
        Tensor[] g = Autodiff.Grad(xs => Losses.GaussianNegativeLogLikelihood(xs[0], x, xs[1]), [mu, variance]);
        g[0].ShouldEqual([-0.5, 0], 1e-15);
        g[1].ShouldEqual([0, 1 / 16.0], 1e-15);
        Autodiff.GradCheck(xs => Losses.GaussianNegativeLogLikelihood(xs[0], xs[1], xs[2]), [mu, TestHelpers.F64([0.3, 2.5], 2), variance])
            .Passed.Should().BeTrue();
    }

    [Fact]
    public void GaussianNegativeLogLikelihoodFloorsTheVarianceValueButNotItsGradient()
    {
        // σ² = 0 is evaluated at eps = 1e-6: ½ log(1e-6) + ½(0.001)²/1e-6 = ½ log(1e-6) + ½; the gradient is the
        // formula's at v = eps, ½(1/v − d²/v²) = ½(1e6 − 1e6) = 0 here, and ½·1e6 for d = 0.
        Tensor mu = TestHelpers.F64([0, 0], 2), x = TestHelpers.F64([0.001, 0], 2), variance = TestHelpers.F64([0, 0], 2);
        Losses.GaussianNegativeLogLikelihood(mu, x, variance, reduction: Reduction.None)
            .ShouldEqual([(0.5 * Math.Log(1e-6)) + 0.5, 0.5 * Math.Log(1e-6)], 1e-9);
        Autodiff.Grad(v => Losses.GaussianNegativeLogLikelihood(mu, x, v, reduction: Reduction.Sum), variance)
            .ShouldEqual([0, 0.5e6], 1e-6);
    }

    [Fact]
    public void GaussianNegativeLogLikelihoodAcceptsOneVariancePerRow()
    {
        // [2, 2] means with a variance per row: [2] (PyTorch's shorthand) and [2, 1] agree with the full shape.
        Tensor mu = TestHelpers.F64([0, 1, 2, 3], 2, 2), x = TestHelpers.F64([1, 1, 1, 1], 2, 2);
        double expected = Losses.GaussianNegativeLogLikelihood(mu, x, TestHelpers.F64([2, 2, 3, 3], 2, 2)).Item();
        Losses.GaussianNegativeLogLikelihood(mu, x, TestHelpers.F64([2, 3], 2)).Item().Should().BeApproximately(expected, 1e-15);
        Losses.GaussianNegativeLogLikelihood(mu, x, TestHelpers.F64([2, 3], 2, 1)).Item().Should().BeApproximately(expected, 1e-15);
        FluentActions.Invoking(() => Losses.GaussianNegativeLogLikelihood(mu, x, TestHelpers.F64([1, 2, 3], 3)))
            .Should().Throw<ArgumentException>().WithMessage("GaussianNegativeLogLikelihood: variance [3] does not fit mean [2,2]*");
        FluentActions.Invoking(() => Losses.GaussianNegativeLogLikelihood(mu, x, TestHelpers.F64([1, -2], 2)))
            .Should().Throw<ArgumentException>().WithMessage("GaussianNegativeLogLikelihood: variance -2*non-negative*");
    }

    [Fact]
    public void MismatchedShapesAndDTypesNameTheLoss()
    {
        FluentActions.Invoking(() => Losses.MeanSquaredError(TestHelpers.F64([1, 2], 2), TestHelpers.F64([1, 2], 2, 1)))
            .Should().Throw<ArgumentException>().WithMessage("MeanSquaredError: prediction [2] and target [2,1] must have the same shape.*");
        FluentActions.Invoking(() => Losses.BinaryCrossEntropyWithLogits(TestHelpers.F64([1], 1), Tensor.Zeros(new Shape(1))))
            .Should().Throw<ArgumentException>().WithMessage("BinaryCrossEntropyWithLogits: logits [1] is Float64 but targets [1] is Float32.*");
    }

    // ---- Huber ----

    [Fact]
    public void HuberHasPyTorchsValuesAtEveryReduction()
    {
        // δ = 1, d = p − t = [0, 0.5, 2, −3, −1]: ½d² below δ, δ(|d| − ½δ) from δ on: [0, 0.125, 1.5, 2.5, 0.5] (at |d| = δ
        // both pieces give ½). Sum 4.625, mean 0.925.
        Tensor p = TestHelpers.F64([0, 0.5, 2, -3, 1], 5), t = TestHelpers.F64([0, 0, 0, 0, 2], 5);
        Losses.Huber(p, t, reduction: Reduction.None).ShouldEqual([0, 0.125, 1.5, 2.5, 0.5], 1e-15);
        Losses.Huber(p, t, reduction: Reduction.Sum).Item().Should().BeApproximately(4.625, 1e-15);
        Losses.Huber(p, t).Item().Should().BeApproximately(0.925, 1e-15);

        // δ = 2, d = [1, 3, −4]: ½·1, 2(3 − 1), 2(4 − 1).
        Losses.Huber(TestHelpers.F64([1, 3, -4], 3), TestHelpers.F64([0, 0, 0], 3), 2, Reduction.None).ShouldEqual([0.5, 4, 6], 1e-15);
    }

    [Fact]
    public void HuberGradientIsTheErrorClippedToDelta()
    {
        // ∂/∂p = clip(d, −δ, δ)/n, also at the kinks d = 0 and |d| = δ; ∂/∂t is its negative.
        Tensor p = TestHelpers.F64([0, 0.5, 2, -3, 1], 5), t = TestHelpers.F64([0, 0, 0, 0, 2], 5);
        (Tensor dp, Tensor dt) = Autodiff.Grad((a, b) => Losses.Huber(a, b), p, t);
        dp.ShouldEqual([0, 0.1, 0.2, -0.2, -0.2], 1e-15);
        dt.ShouldEqual([0, -0.1, -0.2, 0.2, 0.2], 1e-15);

        // Forward mode along the ones tangent gives Σ clip(d)/n, the same derivative.
        Autodiff.Jvp(a => Losses.Huber(a, t), p, Tensor.OnesLike(p)).Tangent.Item().Should().BeApproximately(-0.1, 1e-15);

        // δ = 2, Sum: clip([1, 3, −4], −2, 2).
        Tensor q = TestHelpers.F64([1, 3, -4], 3), zero = TestHelpers.F64([0, 0, 0], 3);
        Autodiff.Grad(a => Losses.Huber(a, zero, 2, Reduction.Sum), q).ShouldEqual([1, 2, -2], 1e-15);
    }

    [Theory]
    [InlineData(Reduction.Mean)]
    [InlineData(Reduction.Sum)]
    [InlineData(Reduction.None)]
    public void HuberPassesGradCheckAwayFromItsKinks(Reduction reduction)
    {
        // |d| = [0.3, 2, 3, 0.6, 1.7], none within 0.2 of 0 or δ = 1.
        Tensor p = TestHelpers.F64([0.3, 2.5, -3, -0.1, 1.2], 5), t = TestHelpers.F64([0, 0.5, 0, 0.5, -0.5], 5);
        Autodiff.GradCheck(xs => Losses.Huber(xs[0], xs[1], 1.0, reduction), [p, t]).Passed.Should().BeTrue();
    }

    [Fact]
    public void HuberInFloat32MatchesFloat64()
    {
        Tensor p = TestHelpers.F64([0.25, 2, -3], 3), t = TestHelpers.F64([0, 0, 0], 3);
        Losses.Huber(p.To(DType.Float32), t.To(DType.Float32), reduction: Reduction.None).ShouldEqual([0.03125, 1.5, 2.5], 1e-7);
    }

    [Fact]
    public void HuberRefusesABadDeltaOrMismatchedShapes()
    {
        Tensor p = TestHelpers.F64([1, 2], 2);
        foreach (double delta in new[] { 0.0, -1, double.NaN, double.PositiveInfinity })
        {
            FluentActions.Invoking(() => Losses.Huber(p, p, delta))
                .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("delta")
                .WithMessage($"Huber: delta {delta} must be positive and finite.*");
        }

        FluentActions.Invoking(() => Losses.Huber(p, TestHelpers.F64([1, 2, 3], 3)))
            .Should().Throw<ArgumentException>().WithMessage("Huber: prediction [2] and target [3] must have the same shape.*");
    }

    // ---- Multi-class hinge (MultiMarginLoss, p = 1) ----

    // Row 0, label 2: terms max(0, 1 − 3 + 1) = 0 and max(0, 1 − 3 + 2.5) = 0.5; row 1, label 0: 1 − 3 + 2.8 = 0.8 and
    // 1 − 3 + 2.5 = 0.5; row 2, label 1: 1 and 1. Each row's sum divided by C = 3: [0.5, 1.3, 2]/3.
    private static Tensor Scores() => TestHelpers.F64([1, 2.5, 3, 3, 2.8, 2.5, 0, 0, 0], 3, 3);

    private static readonly int[] ScoreLabels = [2, 0, 1];

    [Fact]
    public void MultiMarginHingeHasPyTorchsValuesAtEveryReduction()
    {
        Losses.MultiMarginHinge(Scores(), ScoreLabels, reduction: Reduction.None).ShouldEqual([0.5 / 3, 1.3 / 3, 2 / 3.0], 1e-15);
        Losses.MultiMarginHinge(Scores(), ScoreLabels, reduction: Reduction.Sum).Item().Should().BeApproximately(3.8 / 3, 1e-15);
        Losses.MultiMarginHinge(Scores(), ScoreLabels).Item().Should().BeApproximately(3.8 / 9, 1e-15);

        // Margin ½: row 0 has 0 and 0, row 1 has 0.3 and 0, row 2 has ½ and ½.
        Losses.MultiMarginHinge(Scores(), ScoreLabels, 0.5, Reduction.None).ShouldEqual([0, 0.3 / 3, 1 / 3.0], 1e-15);
    }

    [Fact]
    public void MultiMarginHingeGradientCountsTheActiveMargins()
    {
        // Sum: +1/C for every active j ≠ y, −(their number)/C on the label; the mean divides by n = 3 again.
        double[] sum = [0, 1 / 3.0, -1 / 3.0, -2 / 3.0, 1 / 3.0, 1 / 3.0, 1 / 3.0, -2 / 3.0, 1 / 3.0];
        Autodiff.Grad(x => Losses.MultiMarginHinge(x, ScoreLabels, reduction: Reduction.Sum), Scores()).ShouldEqual(sum, 1e-15, shape: [3, 3]);
        Autodiff.Grad(x => Losses.MultiMarginHinge(x, ScoreLabels), Scores())
            .ShouldEqual([.. sum.Select(g => g / 3)], 1e-15, shape: [3, 3]);
    }

    [Theory]
    [InlineData(Reduction.Mean)]
    [InlineData(Reduction.Sum)]
    [InlineData(Reduction.None)]
    public void MultiMarginHingePassesGradCheckAwayFromItsKinks(Reduction reduction)
    {
        // Every hinge argument of Scores() is at least 0.5 away from 0.
        Autodiff.GradCheck(x => Losses.MultiMarginHinge(x, ScoreLabels, 1.0, reduction), Scores()).Passed.Should().BeTrue();
    }

    [Fact]
    public void MultiMarginHingeStaysFiniteWithAnInfinitelyLowScore()
    {
        // [−∞, 0] with label 1: max(0, 1 − 0 − ∞) = 0; the label's term is dropped, not multiplied by 0.
        Tensor scores = Tensor.FromArray([double.NegativeInfinity, 0.0], 1, 2);
        Losses.MultiMarginHinge(scores, [1]).Item().Should().Be(0);
        Autodiff.Grad(x => Losses.MultiMarginHinge(x, [1]), scores).ShouldEqual([0, 0], 0, shape: [1, 2]);
    }

    [Fact]
    public void MultiMarginHingeRefusesBadLabelsShapesAndMargins()
    {
        FluentActions.Invoking(() => Losses.MultiMarginHinge(Scores(), [2, 0, 3]))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("MultiMarginHinge: label 3 (at position 2) is out of range for 3 classes*");
        FluentActions.Invoking(() => Losses.MultiMarginHinge(Scores(), [2, 0]))
            .Should().Throw<ArgumentException>().WithMessage("MultiMarginHinge: logits [3,3]*n = 2*");
        FluentActions.Invoking(() => Losses.MultiMarginHinge(Scores(), ScoreLabels, double.NaN))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("margin").WithMessage("MultiMarginHinge: margin NaN must be finite.*");
    }

    // ---- Every loss ----

    public static TheoryData<string> LossNames() =>
        ["MeanSquaredError", "CrossEntropyLabels", "CrossEntropyProbabilities", "BinaryCrossEntropy", "BinaryCrossEntropyWithLogits",
         "Hinge", "GaussianNegativeLogLikelihood", "Huber", "MultiMarginHinge"];

    [Theory]
    [MemberData(nameof(LossNames))]
    public void EveryLossTakesEachReductionAndMeanAndSumReduceNone(string name)
    {
        Tensor x = TestHelpers.F64([0.2, 0.7, 0.4, 0.9, 0.1, 0.6], 2, 3), y = TestHelpers.F64([0, 1, 1, 1, 0, 0], 2, 3);
        Tensor signs = (2.0 * y) - 1.0;
        Func<Reduction, Tensor> loss = name switch
        {
            "MeanSquaredError" => r => Losses.MeanSquaredError(x, y, r),
            "CrossEntropyLabels" => r => Losses.CrossEntropy(x, [1, 0], r),
            "CrossEntropyProbabilities" => r => Losses.CrossEntropy(x, y / 2.0, r),
            "BinaryCrossEntropy" => r => Losses.BinaryCrossEntropy(x, y, r),
            "BinaryCrossEntropyWithLogits" => r => Losses.BinaryCrossEntropyWithLogits(x, y, r),
            "Hinge" => r => Losses.Hinge(x, signs, r),
            "GaussianNegativeLogLikelihood" => r => Losses.GaussianNegativeLogLikelihood(x, y, x, reduction: r),
            "Huber" => r => Losses.Huber(x, y, 0.5, r),
            _ => r => Losses.MultiMarginHinge(x, [1, 0], reduction: r),
        };

        double[] values = loss(Reduction.None).ToArray<double>();
        loss(Reduction.Sum).Item().Should().BeApproximately(values.Sum(), 1e-14);
        loss(Reduction.Mean).Item().Should().BeApproximately(values.Average(), 1e-14);
        FluentActions.Invoking(() => loss((Reduction)7)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*unknown reduction 7*");
    }
}
