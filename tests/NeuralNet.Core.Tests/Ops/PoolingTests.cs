namespace NeuralNet.Tests.Ops;

using NeuralNet;

/// <summary>
/// MaxPool2d and AvgPool2d against direct window reductions written here and examples worked by hand, and max
/// pooling's PyTorch semantics: the gradient of a tie goes to the first maximum, the padding is −∞, NaN propagates.
/// </summary>
public class PoolingTests
{
    /// <summary>(N, C, H, W, kh, kw, sh, sw, ph, pw, dh, dw).</summary>
    public static TheoryData<int[]> Geometries =>
    [
        [2, 3, 4, 4, 2, 2, 2, 2, 0, 0, 1, 1],
        [1, 2, 5, 5, 3, 3, 2, 2, 1, 1, 1, 1],
        [1, 1, 6, 7, 2, 3, 1, 2, 0, 1, 2, 2],
        [2, 1, 5, 6, 3, 2, 1, 1, 1, 0, 1, 1],
        [2, 3, 6, 11, 2, 2, 2, 2, 0, 0, 1, 1],
        [1, 2, 4, 18, 2, 2, 2, 2, 0, 0, 1, 1],
    ];

    [Theory]
    [MemberData(nameof(Geometries))]
    public void MaxPool2dMatchesADirectWindowMaximum(int[] g)
    {
        Tensor x = Tensor.RandomNormal([g[0], g[1], g[2], g[3]], seed: 1, dtype: DType.Float64);
        Tensor y = Tensor.MaxPool2d(x, (g[4], g[5]), stride: (g[6], g[7]), padding: (g[8], g[9]), dilation: (g[10], g[11]));
        (double[] expected, int[] shape) = DirectPool(x, g, max: true);
        y.Shape.Should().Be(new Shape(shape));
        y.ToArray<double>().Should().Equal(expected);

        Tensor y32 = Tensor.MaxPool2d(x.To(DType.Float32), (g[4], g[5]), stride: (g[6], g[7]), padding: (g[8], g[9]), dilation: (g[10], g[11]));
        y32.ToArray<float>().Should().Equal(expected.Select(v => (float)v));
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void AvgPool2dMatchesADirectWindowMeanCountingThePadding(int[] g)
    {
        Tensor x = Tensor.RandomNormal([g[0], g[1], g[2], g[3]], seed: 2, dtype: DType.Float64);
        Tensor y = Tensor.AvgPool2d(x, (g[4], g[5]), stride: (g[6], g[7]), padding: (g[8], g[9]));
        (double[] expected, int[] shape) = DirectPool(x, [.. g[..10], 1, 1], max: false);
        y.Shape.Should().Be(new Shape(shape));
        y.ToArray<double>().Should().Equal(expected, (a, e) => Math.Abs(a - e) <= 1e-15 * Math.Max(1, Math.Abs(e)));
    }

    [Fact]
    public void MaxPool2dOfAWorkedExample()
    {
        // 2×2 windows at stride 2 of a 4×4 plane: the largest of each quadrant.
        Tensor x = Tensor.FromArray([1.0, 5, 2, 0, 3, 4, 8, 7, -1, -2, 6, 6.5, -3, -0.5, 9, 1], 1, 1, 4, 4);
        Tensor.MaxPool2d(x, 2).ToArray<double>().Should().Equal(5, 8, -0.5, 9);

        // Its gradient: one 1 per window, at 5, 8, −0.5 and 9.
        Autodiff.Grad(t => Tensor.MaxPool2d(t, 2).Sum(), x).ToArray<double>()
            .Should().Equal(0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 1, 0);
    }

    [Fact]
    public void ATieSendsTheWholeGradientToTheFirstMaximum()
    {
        // A window of zeros (common after a ReLU): PyTorch's max_pool2d gives its whole gradient to the first element
        // in row-major order, where the Max reduction would split it four ways.
        Tensor zeros = Tensor.Zeros([1, 1, 2, 2], DType.Float64);
        Autodiff.Grad(t => Tensor.MaxPool2d(t, 2).Sum(), zeros).ToArray<double>().Should().Equal(1, 0, 0, 0);

        // Overlapping 2×2 windows at stride 1 on a 3×3 plane of zeros: each window's first element is its top-left.
        Autodiff.Grad(t => Tensor.MaxPool2d(t, 2, stride: 1).Sum(), Tensor.Zeros([1, 1, 3, 3], DType.Float64)).ToArray<double>()
            .Should().Equal(1, 1, 0, 1, 1, 0, 0, 0, 0);

        // A tie of two maxima behind a smaller first element: the first of the two (row-major), not the smaller one.
        Tensor x = Tensor.FromArray([1.0, 3, 3, 2], 1, 1, 2, 2);
        Autodiff.Grad(t => Tensor.MaxPool2d(t, 2).Sum(), x).ToArray<double>().Should().Equal(0, 1, 0, 0);

        // The JVP reads the same element: the tangent at the first maximum.
        Tensor tangent = Tensor.FromArray([10.0, 20, 30, 40], 1, 1, 2, 2);
        Autodiff.Jvp(t => Tensor.MaxPool2d(t, 2), zeros, tangent).Tangent.ToArray<double>().Should().Equal(10);
        Autodiff.Jvp(t => Tensor.MaxPool2d(t, 2), x, tangent).Tangent.ToArray<double>().Should().Equal(20);
    }

    [Fact]
    public void ThePaddingIsMinusInfinity()
    {
        // A plane of negatives padded by 1, 2×2 windows at stride 1: with zero padding every border window would be 0.
        // Window (r, c) covers rows r−1..r and columns c−1..c of [[−1,−2],[−3,−4]].
        Tensor x = Tensor.FromArray([-1.0, -2, -3, -4], 1, 1, 2, 2);
        Tensor.MaxPool2d(x, 2, stride: 1, padding: 1).ToArray<double>().Should().Equal(-1, -1, -2, -1, -1, -2, -3, -3, -4);

        // −1 is the maximum of the four windows that hold it; −2 of the two right-hand ones in rows 0 and 1; −3 of two
        // in the bottom row; −4 of the bottom-right one alone.
        Autodiff.Grad(t => Tensor.MaxPool2d(t, 2, stride: 1, padding: 1).Sum(), x).ToArray<double>().Should().Equal(4, 2, 2, 1);
    }

    [Fact]
    public void NaNPropagatesAndTakesTheGradient()
    {
        // The left window holds NaN: its maximum is NaN (a comparison would skip it), and the gradient goes to the NaN.
        Tensor x = Tensor.FromArray([1.0, double.NaN, 5, 7, 3, 2, 0, 6], 1, 1, 2, 4);
        double[] y = Tensor.MaxPool2d(x, 2).ToArray<double>();
        double.IsNaN(y[0]).Should().BeTrue();
        y[1].Should().Be(7);
        Autodiff.Grad(t => Tensor.MaxPool2d(t, 2).Sum(), x).ToArray<double>().Should().Equal(0, 1, 0, 1, 0, 0, 0, 0);

        Tensor.MaxPool2d(x.To(DType.Float32), 2).ToArray<float>()[0].Should().Be(float.NaN);
    }

    [Fact]
    public void AWindowOfPaddingOnlyIsMinusInfinityAndPassesNoGradient()
    {
        // Kernel 2 dilated 3 with padding 1 on a 2×2 plane: the one window reads rows and columns −1 and 2, all padding,
        // so its maximum is that of the −∞ padding, and no element receives its gradient or gives it a tangent.
        Tensor x = Tensor.FromArray([1.0, 2, 3, 4], 1, 1, 2, 2);
        Tensor.MaxPool2d(x, 2, stride: 1, padding: 1, dilation: 3).ToArray<double>().Should().Equal(double.NegativeInfinity);
        Autodiff.Grad(t => Tensor.MaxPool2d(t, 2, stride: 1, padding: 1, dilation: 3).Sum(), x).ToArray<double>().Should().Equal(0, 0, 0, 0);
        Autodiff.Jvp(t => Tensor.MaxPool2d(t, 2, stride: 1, padding: 1, dilation: 3), x, Tensor.OnesLike(x)).Tangent.ToArray<double>()
            .Should().Equal(0);
    }

    [Fact]
    public void FourFloat32WindowsAtOnceKeepTheRuleForTiesAndNaN()
    {
        // 2×2 windows at stride 2 in Float32, four outputs of a row at once: a NaN, then a later NaN (which takes the
        // gradient over the 7 after it), a tie of zeros (the first), a tie of fives (the upper one), a plain maximum.
        Tensor x = Tensor.FromArray([1f, float.NaN, 0, 0, 2, 5, 3, 3, float.NaN, 7, 0, 0, 5, 1, 3, 4], 1, 1, 2, 8);
        float[] y = Tensor.MaxPool2d(x, 2).ToArray<float>();
        y.Should().Equal(float.NaN, 0, 5, 4);
        Autodiff.Grad(t => Tensor.MaxPool2d(t, 2).Sum(), x).ToArray<float>().Should().Equal(0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1);
    }

    [Fact]
    public void MaxPool2dHasSecondDerivatives()
    {
        // L = Σ maxpool(x)²: the gradient is 2·y scattered to the arg-maxima, and the Hessian times v is 2·v at each
        // arg-max (the windows' maxima 5, 8, −0.5 and 9), 0 elsewhere.
        Tensor x = Tensor.FromArray([1.0, 5, 2, 0, 3, 4, 8, 7, -1, -2, 6, 6.5, -3, -0.5, 9, 1], 1, 1, 4, 4);
        Tensor v = Tensor.FromArray([.. Enumerable.Range(1, 16).Select(k => (double)k)], 1, 1, 4, 4);
        Tensor L(Tensor t) => Tensor.MaxPool2d(t, 2).Pow(2).Sum();

        Autodiff.Grad(L, x).ToArray<double>().Should().Equal(0, 10, 0, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, -1, 18, 0);
        Autodiff.HessianVectorProduct(L, x, v).ToArray<double>().Should().Equal(0, 4, 0, 0, 0, 0, 14, 0, 0, 0, 0, 0, 0, 28, 30, 0);
    }

    [Fact]
    public void AvgPool2dOfAWorkedExample()
    {
        // Ones padded by 1, 2×2 windows at stride 1: a corner window holds one real element of four, an edge window
        // two, the centre four (count_include_pad: the padded zeros count).
        Tensor.AvgPool2d(Tensor.Ones([1, 1, 2, 2], DType.Float64), 2, stride: 1, padding: 1).ToArray<double>()
            .Should().Equal(0.25, 0.5, 0.25, 0.5, 1, 0.5, 0.25, 0.5, 0.25);

        // Each element of a 4×4 plane is in one 2×2 window at stride 2 and has weight 1/4 in it.
        Tensor x = Tensor.FromArray([1.0, 5, 2, 0, 3, 4, 8, 7, -1, -2, 6, 6.5, -3, -0.5, 9, 1], 1, 1, 4, 4);
        Tensor.AvgPool2d(x, 2).ToArray<double>().Should().Equal(13 / 4.0, 17 / 4.0, -6.5 / 4, 22.5 / 4);
        Autodiff.Grad(t => Tensor.AvgPool2d(t, 2).Sum(), x).ToArray<double>().Should().OnlyContain(d => d == 0.25);
    }

    /// <summary>Every window's max (padding −∞) or mean (padding 0, counted), by the definition.</summary>
    private static (double[] Values, int[] Shape) DirectPool(Tensor x, int[] g, bool max)
    {
        int n = g[0], c = g[1], h = g[2], w = g[3], kh = g[4], kw = g[5], sh = g[6], sw = g[7], ph = g[8], pw = g[9], dh = g[10], dw = g[11];
        int outH = ((h + (2 * ph) - (dh * (kh - 1)) - 1) / sh) + 1, outW = ((w + (2 * pw) - (dw * (kw - 1)) - 1) / sw) + 1;
        double[] xs = x.ToArray<double>();
        var y = new double[n * c * outH * outW];
        int k = 0;
        for (int plane = 0; plane < n * c; plane++)
        {
            for (int oh = 0; oh < outH; oh++)
            {
                for (int ow = 0; ow < outW; ow++)
                {
                    double acc = max ? double.NegativeInfinity : 0;
                    for (int i = 0; i < kh; i++)
                    {
                        for (int j = 0; j < kw; j++)
                        {
                            int row = (oh * sh) - ph + (i * dh), col = (ow * sw) - pw + (j * dw);
                            if (row >= 0 && row < h && col >= 0 && col < w)
                            {
                                double v = xs[(((plane * h) + row) * w) + col];
                                acc = max ? Math.Max(acc, v) : acc + v;
                            }
                        }
                    }

                    y[k++] = max ? acc : acc / (kh * kw);
                }
            }
        }

        return (y, [n, c, outH, outW]);
    }
}
