namespace NeuralNet.Tests.Kernels;

using NeuralNet;

/// <summary>
/// The GEMM against a naive triple loop, on sizes around the micro-kernels' and blocks' edges and across the
/// choices between them (A packed or read in place, B panels one or two vectors wide).
/// </summary>
public class GemmTests
{
    public static TheoryData<int, int, int> Sizes() => new()
    {
        { 1, 1, 1 }, { 1, 7, 3 }, { 5, 1, 9 }, { 6, 32, 4 }, { 7, 33, 5 }, { 13, 17, 31 },
        { 97, 65, 257 }, { 100, 200, 300 }, { 193, 31, 40 }, { 3, 2100, 2 }, { 0, 3, 4 }, { 3, 4, 0 },

        // Narrow C, read A in place and one vector wide: full row tiles, a short last one, two k slices, MC blocks.
        { 20, 10, 70 }, { 64, 10, 300 }, { 24, 16, 8 }, { 24, 8, 5 }, { 130, 5, 20 }, { 17, 48, 9 },

        // A last B panel one vector wide (exactly and partly full), in both dtypes' vector widths.
        { 40, 80, 33 }, { 9, 75, 260 }, { 16, 40, 7 },

        // A packed: a leading dimension of 4 KiB (k = 1024 stored along rows; m = 1024 when A is transposed).
        { 9, 70, 1024 }, { 1024, 70, 3 },

        // Six-row tiles (the Vector256 path) and eight-row ones (Vector512): exact multiples of 6 and of 8, one row
        // over, a row block of 126 (MC rounded down to six rows) and 128 plus a short tile, and A packed in six-row panels.
        { 6, 16, 300 }, { 12, 40, 17 }, { 13, 33, 9 }, { 127, 33, 9 }, { 253, 20, 11 }, { 260, 70, 5 }, { 18, 70, 1024 },

        // A transposed B packed by in-register transposes (8 float or 4 double lines at a time): whole groups of lines
        // in a part-full panel, leftover lines, and k steps past the last whole 8×8 or 4×4 block, over k slices of 196.
        { 10, 24, 21 }, { 7, 56, 19 }, { 5, 70, 784 }, { 3, 12, 6 },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Float64MatchesTheNaiveProductForEveryTransposition(int m, int n, int k)
    {
        foreach (bool ta in new[] { false, true })
        {
            foreach (bool tb in new[] { false, true })
            {
                double[] a = Random(m * k, 1), b = Random(k * n, 2), c = new double[m * n];
                Gemm.Multiply<double>(a, ta, b, tb, c, m, n, k);
                double[] expected = Naive(a, ta, b, tb, m, n, k);
                double[] bound = ErrorBound(a, ta, b, tb, m, n, k, Math.ScaleB(1, -53));
                for (int i = 0; i < c.Length; i++)
                {
                    // The naive sum errs by as much as the GEMM may, so the two may differ by twice the bound.
                    c[i].Should().BeApproximately(expected[i], 2 * bound[i], $"element {i} of {m}x{k}·{k}x{n}, ta={ta}, tb={tb}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Float32MatchesTheNaiveProductForEveryTransposition(int m, int n, int k)
    {
        foreach (bool ta in new[] { false, true })
        {
            foreach (bool tb in new[] { false, true })
            {
                double[] a = Random(m * k, 3), b = Random(k * n, 4);
                float[] c = new float[m * n];
                Gemm.Multiply<float>(ToFloat(a), ta, ToFloat(b), tb, c, m, n, k);
                double[] expected = Naive(Round(a), ta, Round(b), tb, m, n, k);
                double[] bound = ErrorBound(Round(a), ta, Round(b), tb, m, n, k, Math.ScaleB(1, -24));

                // The float64 reference is exact to far below the float32 bound (its own error is 2⁻²⁹ times smaller).
                for (int i = 0; i < c.Length; i++)
                {
                    ((double)c[i]).Should().BeApproximately(expected[i], bound[i], $"element {i} of {m}x{k}·{k}x{n}, ta={ta}, tb={tb}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void OverwriteNeverReadsTheDestination(int m, int n, int k)
    {
        // β = 0: a destination full of NaN (what an uninitialised buffer may hold) must not leak into the product.
        foreach (bool ta in new[] { false, true })
        {
            foreach (bool tb in new[] { false, true })
            {
                double[] a = Random(m * k, 1), b = Random(k * n, 2);
                double[] c = [.. Enumerable.Repeat(double.NaN, m * n)];
                Gemm.Multiply<double>(a, ta, b, tb, c, m, n, k, overwrite: true);
                double[] expected = Naive(a, ta, b, tb, m, n, k);
                for (int i = 0; i < c.Length; i++)
                {
                    c[i].Should().BeApproximately(expected[i], 1e-9 * Math.Max(1, k), $"element {i} of {m}x{n}x{k}, ta={ta}, tb={tb}");
                }
            }
        }
    }

    [Fact]
    public void AccumulatesIntoTheDestination()
    {
        double[] a = [1, 2, 3, 4], b = [5, 6, 7, 8], c = [1, 1, 1, 1];
        Gemm.Multiply<double>(a, false, b, false, c, 2, 2, 2);

        // [[1,2],[3,4]]·[[5,6],[7,8]] = [[19,22],[43,50]], plus the ones already there.
        c.Should().Equal(20, 23, 44, 51);
    }

    private static double[] Naive(double[] a, bool ta, double[] b, bool tb, int m, int n, int k)
    {
        var c = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    sum += (ta ? a[(p * m) + i] : a[(i * k) + p]) * (tb ? b[(j * k) + p] : b[(p * n) + j]);
                }

                c[(i * n) + j] = sum;
            }
        }

        return c;
    }

    /// <summary>
    /// Higham's bound for a computed inner product of length k, in any order of summation and with or without fused
    /// multiply-adds: |Ĉ − C| ≤ γₖ·(|A|·|B|) element-wise, γₖ = k·u / (1 − k·u), u the unit roundoff.
    /// </summary>
    private static double[] ErrorBound(double[] a, bool ta, double[] b, bool tb, int m, int n, int k, double u)
    {
        double gamma = k * u / (1 - (k * u));
        double[] magnitude = Naive([.. a.Select(Math.Abs)], ta, [.. b.Select(Math.Abs)], tb, m, n, k);
        return [.. magnitude.Select(v => gamma * v)];
    }

    private static double[] Random(int length, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, length).Select(_ => (random.NextDouble() * 2) - 1)];
    }

    private static float[] ToFloat(double[] values) => [.. values.Select(v => (float)v)];

    private static double[] Round(double[] values) => [.. values.Select(v => (double)(float)v)];
}
