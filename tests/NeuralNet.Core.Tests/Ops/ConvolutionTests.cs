namespace NeuralNet.Tests.Ops;

using NeuralNet;

/// <summary>
/// Conv2d, Conv1d, Unfold and Fold against a direct nested-loop convolution written here, against examples worked by
/// hand, and the adjointness of Unfold and Fold.
/// </summary>
public class ConvolutionTests
{
    /// <summary>(N, C, H, W, out, kh, kw, sh, sw, ph, pw, dh, dw).</summary>
    public static TheoryData<int[]> Geometries =>
    [
        [2, 3, 5, 5, 4, 3, 3, 1, 1, 0, 0, 1, 1],
        [1, 2, 7, 6, 3, 3, 2, 2, 2, 0, 0, 1, 1],
        [2, 2, 4, 4, 2, 3, 3, 1, 1, 1, 1, 1, 1],
        [1, 1, 7, 8, 2, 2, 3, 1, 1, 0, 0, 2, 2],
        [2, 3, 6, 5, 5, 3, 2, 2, 1, 1, 2, 2, 1],
        [3, 4, 4, 4, 2, 1, 1, 2, 2, 1, 0, 1, 1],
    ];

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Conv2dMatchesADirectConvolution(int[] g)
    {
        Tensor x = Tensor.RandomNormal([g[0], g[1], g[2], g[3]], seed: 1, dtype: DType.Float64);
        Tensor w = Tensor.RandomNormal([g[4], g[1], g[5], g[6]], seed: 2, dtype: DType.Float64);
        Tensor b = Tensor.RandomNormal([g[4]], seed: 3, dtype: DType.Float64);

        Tensor y = Tensor.Conv2d(x, w, b, stride: (g[7], g[8]), padding: (g[9], g[10]), dilation: (g[11], g[12]));

        (double[] expected, int[] shape) = DirectConv2d(x, w, b, g[7], g[8], g[9], g[10], g[11], g[12]);
        y.Shape.Should().Be(new Shape(shape));
        y.ToArray<double>().Should().Equal(expected, (a, e) => Math.Abs(a - e) <= 1e-12 * Math.Max(1, Math.Abs(e)));
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Conv2dInFloat32MatchesADirectConvolution(int[] g)
    {
        Tensor x = Tensor.RandomNormal([g[0], g[1], g[2], g[3]], seed: 4, dtype: DType.Float32);
        Tensor w = Tensor.RandomNormal([g[4], g[1], g[5], g[6]], seed: 5, dtype: DType.Float32);

        Tensor y = Tensor.Conv2d(x, w, stride: (g[7], g[8]), padding: (g[9], g[10]), dilation: (g[11], g[12]));

        // The reference sums the float32 values in float64; C·kh·kw ≤ 18 products of standard normals stay within 1e-5.
        (double[] expected, _) = DirectConv2d(x.To(DType.Float64), w.To(DType.Float64), null, g[7], g[8], g[9], g[10], g[11], g[12]);
        y.DType.Should().Be(DType.Float32);
        y.ToArray<float>().Select(v => (double)v).Should().Equal(expected, (a, e) => Math.Abs(a - e) <= 1e-5 * Math.Max(1, Math.Abs(e)));
    }

    [Fact]
    public void Conv2dOfAWorkedExample()
    {
        // x = [[1,2,3],[4,5,6],[7,8,9]], w = [[1,2],[3,4]]: the window at (0,0) is 1·1 + 2·2 + 4·3 + 5·4 = 37, and each
        // step right adds 1 to every element (+10), each step down adds 3 (+30); the bias adds 0.5.
        Tensor x = Tensor.FromArray([1.0, 2, 3, 4, 5, 6, 7, 8, 9], 1, 1, 3, 3);
        Tensor w = Tensor.FromArray([1.0, 2, 3, 4], 1, 1, 2, 2);
        Tensor.Conv2d(x, w, Tensor.FromArray([0.5], 1)).ToArray<double>().Should().Equal(37.5, 47.5, 67.5, 77.5);

        // Padding 1 and stride 2 on the 5×5 padded plane: windows at rows/columns −1..0 and 1..2. The top-left window
        // holds only x[0,0] = 1 under w[1,1] = 4; the top-right x[0,1] = 2, x[0,2] = 3 under w[1,0] = 3, w[1,1] = 4
        // (6 + 12); the bottom-left x[1,0] = 4, x[2,0] = 7 under w[0,1] = 2, w[1,1] = 4 (8 + 28); the bottom-right
        // is the unpadded window at (1,1), 5 + 12 + 24 + 36.
        Tensor.Conv2d(x, w, padding: 1, stride: 2).ToArray<double>().Should().Equal(4, 18, 36, 77);
    }

    [Fact]
    public void Conv1dOfAWorkedExample()
    {
        // x = [1,2,3,4,5] padded by 1 (positions −1..5), w = [1,-1] dilated 2, stride 2: window t reads
        // x[2t−1] − x[2t+1], so 0 − 2, 2 − 4 and 4 − 0 (x[5] is padding); (5 + 2 − 2 − 1) / 2 + 1 = 3 windows.
        Tensor x = Tensor.FromArray([1.0, 2, 3, 4, 5], 1, 1, 5);
        Tensor w = Tensor.FromArray([1.0, -1], 1, 1, 2);
        Tensor y = Tensor.Conv1d(x, w, stride: 2, padding: 1, dilation: 2);
        y.Shape.Should().Be(new Shape(1, 1, 3));
        y.ToArray<double>().Should().Equal(-2, -2, 4);
    }

    [Fact]
    public void Conv1dMatchesConv2dOnPlanesOfHeightOne()
    {
        Tensor x = Tensor.RandomNormal([2, 3, 11], seed: 6, dtype: DType.Float64);
        Tensor w = Tensor.RandomNormal([4, 3, 3], seed: 7, dtype: DType.Float64);
        Tensor b = Tensor.RandomNormal([4], seed: 8, dtype: DType.Float64);

        Tensor y = Tensor.Conv1d(x, w, b, stride: 2, padding: 2, dilation: 3);

        (double[] expected, int[] shape) = DirectConv2d(x.Reshape(2, 3, 1, 11), w.Reshape(4, 3, 1, 3), b, 1, 2, 0, 2, 1, 3);
        y.Shape.Should().Be(new Shape(shape[0], shape[1], shape[3]));
        y.ToArray<double>().Should().Equal(expected, (a, e) => Math.Abs(a - e) <= 1e-12 * Math.Max(1, Math.Abs(e)));
    }

    [Fact]
    public void UnfoldOfAWorkedExample()
    {
        // The four 2×2 windows of [[1,2,3],[4,5,6],[7,8,9]] in row-major order; row r = 2i + j holds element (i, j) of each.
        Tensor x = Tensor.FromArray([1.0, 2, 3, 4, 5, 6, 7, 8, 9], 1, 1, 3, 3);
        Tensor columns = Tensor.Unfold(x, 2);
        columns.Shape.Should().Be(new Shape(1, 4, 4));
        columns.ToArray<double>().Should().Equal(1, 2, 4, 5, 2, 3, 5, 6, 4, 5, 7, 8, 5, 6, 8, 9);
    }

    [Fact]
    public void FoldOfOnesCountsTheWindowsHoldingEachElement()
    {
        // 2×2 windows on 3×3: corners lie in one window, edge middles in two, the centre in all four.
        Tensor.Fold(Tensor.Ones([1, 4, 4], DType.Float64), 3, 2).ToArray<double>().Should().Equal(1, 2, 1, 2, 4, 2, 1, 2, 1);

        // With padding 1 and stride 2 on 3×3, the four windows cover rows and columns {−1,0} and {1,2}: no overlap,
        // and each real element is in exactly one window.
        Tensor.Fold(Tensor.Ones([1, 4, 4], DType.Float64), 3, 2, padding: 1, stride: 2).ToArray<double>()
            .Should().OnlyContain(v => v == 1);
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void UnfoldMatchesDirectWindowReads(int[] g)
    {
        Tensor x = Tensor.RandomNormal([g[0], g[1], g[2], g[3]], seed: 9, dtype: DType.Float64);
        Tensor columns = Tensor.Unfold(x, (g[5], g[6]), dilation: (g[11], g[12]), padding: (g[9], g[10]), stride: (g[7], g[8]));

        double[] v = x.ToArray<double>(), actual = columns.ToArray<double>();
        int n = g[0], c = g[1], h = g[2], w = g[3], kh = g[5], kw = g[6];
        int outH = ((h + (2 * g[9]) - (g[11] * (kh - 1)) - 1) / g[7]) + 1, outW = ((w + (2 * g[10]) - (g[12] * (kw - 1)) - 1) / g[8]) + 1;
        columns.Shape.Should().Be(new Shape(n, c * kh * kw, outH * outW));
        int k = 0;
        for (int b = 0; b < n; b++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                for (int i = 0; i < kh; i++)
                {
                    for (int j = 0; j < kw; j++)
                    {
                        for (int oh = 0; oh < outH; oh++)
                        {
                            for (int ow = 0; ow < outW; ow++, k++)
                            {
                                int row = (oh * g[7]) - g[9] + (i * g[11]), col = (ow * g[8]) - g[10] + (j * g[12]);
                                bool inside = row >= 0 && row < h && col >= 0 && col < w;
                                actual[k].Should().Be(inside ? v[(((((b * c) + ch) * h) + row) * w) + col] : 0.0);
                            }
                        }
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void FoldIsTheAdjointOfUnfold(int[] g)
    {
        // ⟨Fold(u), v⟩ = ⟨u, Unfold(v)⟩ for every u of the columns' shape and v of the planes'.
        Size2 kernel = (g[5], g[6]), dilation = (g[11], g[12]), padding = (g[9], g[10]), stride = (g[7], g[8]);
        Tensor v = Tensor.RandomNormal([g[0], g[1], g[2], g[3]], seed: 10, dtype: DType.Float64);
        Tensor unfolded = Tensor.Unfold(v, kernel, dilation, padding, stride);
        Tensor u = Tensor.RandomNormal(unfolded.Shape, seed: 11, dtype: DType.Float64);
        Tensor folded = Tensor.Fold(u, (g[2], g[3]), kernel, dilation, padding, stride);

        double left = Dot(folded, v), right = Dot(u, unfolded);
        Math.Abs(left - right).Should().BeLessThanOrEqualTo(1e-12 * Math.Max(1, Math.Abs(left)), $"<Fold(u), v> = {left:R}, <u, Unfold(v)> = {right:R}");
    }

    [Fact]
    public void Conv2dHasSecondDerivatives()
    {
        // L = Σ conv(x, w)² is quadratic in w for a fixed x: ∂²L/∂w² · v = 2·Σ over outputs of (x-window · v)·(x-window),
        // the Gauss–Newton form, computed here by the direct convolution with v as the weight.
        Tensor x = Tensor.RandomNormal([1, 2, 4, 4], seed: 12, dtype: DType.Float64);
        Tensor w = Tensor.RandomNormal([2, 2, 2, 2], seed: 13, dtype: DType.Float64);
        Tensor v = Tensor.RandomNormal([2, 2, 2, 2], seed: 14, dtype: DType.Float64);
        Tensor hv = Autodiff.HessianVectorProduct(ws => Tensor.Conv2d(x, ws[0], stride: 2).Pow(2).Sum(), [w], [v])[0];

        (double[] yv, _) = DirectConv2d(x, v, null, 2, 2, 0, 0, 1, 1);
        double[] xs = x.ToArray<double>(), expected = new double[16];
        for (int o = 0; o < 2; o++)
        {
            for (int oh = 0; oh < 2; oh++)
            {
                for (int ow = 0; ow < 2; ow++)
                {
                    double z = yv[(((o * 2) + oh) * 2) + ow];
                    for (int c = 0; c < 2; c++)
                    {
                        for (int i = 0; i < 2; i++)
                        {
                            for (int j = 0; j < 2; j++)
                            {
                                expected[(((((o * 2) + c) * 2) + i) * 2) + j] += 2 * z * xs[(((c * 4) + (2 * oh) + i) * 4) + (2 * ow) + j];
                            }
                        }
                    }
                }
            }
        }

        hv.ToArray<double>().Should().Equal(expected, (a, e) => Math.Abs(a - e) <= 1e-12 * Math.Max(1, Math.Abs(e)));
    }

    /// <summary>The convolution by its definition: seven nested loops, no windows materialized.</summary>
    internal static (double[] Values, int[] Shape) DirectConv2d(Tensor x, Tensor w, Tensor? b, int sh, int sw, int ph, int pw, int dh, int dw)
    {
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], wd = x.Shape[3];
        int o = w.Shape[0], kh = w.Shape[2], kw = w.Shape[3];
        int outH = ((h + (2 * ph) - (dh * (kh - 1)) - 1) / sh) + 1, outW = ((wd + (2 * pw) - (dw * (kw - 1)) - 1) / sw) + 1;
        double[] xs = x.ToArray<double>(), ws = w.ToArray<double>(), bs = b?.ToArray<double>() ?? new double[o];
        var y = new double[n * o * outH * outW];
        for (int bn = 0; bn < n; bn++)
        {
            for (int oc = 0; oc < o; oc++)
            {
                for (int oh = 0; oh < outH; oh++)
                {
                    for (int ow = 0; ow < outW; ow++)
                    {
                        double sum = bs[oc];
                        for (int ic = 0; ic < c; ic++)
                        {
                            for (int i = 0; i < kh; i++)
                            {
                                for (int j = 0; j < kw; j++)
                                {
                                    int row = (oh * sh) - ph + (i * dh), col = (ow * sw) - pw + (j * dw);
                                    if (row >= 0 && row < h && col >= 0 && col < wd)
                                    {
                                        sum += ws[(((((oc * c) + ic) * kh) + i) * kw) + j] * xs[(((((bn * c) + ic) * h) + row) * wd) + col];
                                    }
                                }
                            }
                        }

                        y[(((((bn * o) + oc) * outH) + oh) * outW) + ow] = sum;
                    }
                }
            }
        }

        return (y, [n, o, outH, outW]);
    }

    private static double Dot(Tensor a, Tensor b)
    {
        double[] x = a.ToArray<double>(), y = b.ToArray<double>();
        return x.Select((v, k) => v * y[k]).Sum();
    }
}
