namespace NeuralNet.Tests.Samples;

using ExperimentsSample;

/// <summary>
/// samples/Experiments: each experiment's numbers against what theory says they must be, and its pictures are real
/// PNGs of the sample's size.
/// </summary>
public sealed class ExperimentsSampleTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "experiments-" + Guid.NewGuid().ToString("N"));

    /// <summary>Removes the pictures.</summary>
    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void ThePerceptronSeparatesTheBlobsAndItsMistakesReachZero()
    {
        PerceptronExperimentResult result = PerceptronExperiment.Run(_folder, TextWriter.Null);

        result.Mistakes[0].Should().BeGreaterThan(0, "zero weights predict 0, so the first class-1 point is a mistake");
        result.Mistakes[^1].Should().Be(0, "the blobs are separable: Novikoff's theorem bounds the number of updates");
        result.Mistakes.Length.Should().BeLessThan(PerceptronExperiment.Epochs);
        result.TrainingAccuracy.Should().Be(1.0);

        // The learned line, checked by hand on the data: w·x + b > 0 exactly on class 1.
        (Tensor x, int[] y) = PerceptronExperiment.Blobs(PerceptronExperiment.Seed);
        double[] xy = x.ToArray<double>();
        for (int i = 0; i < y.Length; i++)
        {
            double score = (result.Weight[0] * xy[2 * i]) + (result.Weight[1] * xy[(2 * i) + 1]) + result.Bias;
            (score > 0 ? 1 : 0).Should().Be(y[i], $"point {i}");
        }

        result.Pictures.Should().HaveCount(2);
        result.Pictures.Should().AllSatisfy(AssertPng);
    }

    [Fact]
    public void ThePerceptronFailsOnXorWhileATwoTwoOneNetworkLearnsIt()
    {
        XorExperimentResult result = XorExperiment.Run(_folder, TextWriter.Null);

        result.PerceptronMistakes.Should().HaveCount(XorExperiment.PerceptronEpochs)
            .And.OnlyContain(m => m > 0, "no line separates XOR, so no epoch is free of mistakes");
        result.PerceptronAccuracy.Should().BeLessThanOrEqualTo(0.75, "a line gets at most 3 of XOR's 4 points right");
        result.NetworkOutputs.Select(p => p > 0.5 ? 1 : 0).Should().Equal(0, 1, 1, 0);
        result.NetworkLosses.Should().HaveCount(XorExperiment.NetworkSteps + 1);
        result.NetworkLosses[^1].Should().BeLessThan(result.NetworkLosses[0]);
        AssertPng(result.Picture);
    }

    [Fact]
    public void WiderHiddenLayersFitSinTwoPiXBetter()
    {
        UniversalApproximationResult result = UniversalApproximationExperiment.Run(_folder, TextWriter.Null, widths: [1, 4, 32], steps: 1500);

        result.Widths.Should().Equal(1, 4, 32);
        result.Errors.Should().OnlyContain(e => double.IsFinite(e) && e >= 0);
        result.Errors[2].Should().BeLessThan(result.Errors[0] / 10, "32 tanh units can bend where one cannot");

        // One unit gives a·tanh(bx + c) + d, a monotone function of x, so its error is at least that of the best
        // monotone fit (isotonic regression, increasing or decreasing) to the same points.
        double[] xs = [.. Enumerable.Range(0, UniversalApproximationExperiment.Points).Select(i => -1 + (2.0 * i / (UniversalApproximationExperiment.Points - 1)))];
        double[] ys = [.. xs.Select(x => Math.Sin(2 * Math.PI * x))];
        double bound = Math.Min(IsotonicError(ys), IsotonicError([.. ys.Select(v => -v)]));
        bound.Should().BeGreaterThan(0.1, "sin(2πx) rises and falls twice on [−1, 1]");
        result.Errors[0].Should().BeGreaterThanOrEqualTo(bound * (1 - 1e-9));

        result.Pictures.Should().HaveCount(2);
        result.Pictures.Should().AllSatisfy(AssertPng);
    }

    [Fact]
    public void SigmoidGradientsVanishTowardTheInputWhileHeInitialisedReluKeepsTheirScale()
    {
        VanishingGradientsResult result = VanishingGradientsExperiment.Run(_folder, TextWriter.Null, steps: 10);

        result.Profiles.Select(p => p.Activation).Should().Equal("sigmoid", "tanh", "relu");
        result.Profiles.Should().OnlyContain(p => p.AtInitialisation.Length == VanishingGradientsExperiment.Depth && p.AfterTraining.Length == VanishingGradientsExperiment.Depth);
        GradientProfile sigmoid = result.Profiles[0], tanh = result.Profiles[1], relu = result.Profiles[2];

        // σ′ ≤ 1/4 and Xavier keeps ‖Wᵀδ‖ ≈ ‖δ‖, so each of the 9 layers back to the first shrinks the gradient about 4×.
        sigmoid.FirstToLastRatio.Should().BeLessThan(1e-2);
        sigmoid.AtInitialisation.Should().BeInAscendingOrder("every layer nearer the input gets a smaller share");

        // He initialisation keeps E‖δ_l‖² the same at every layer (He et al. 2015), tanh′(0) = 1 with Xavier nearly so.
        relu.FirstToLastRatio.Should().BeInRange(0.1, 10);
        tanh.FirstToLastRatio.Should().BeInRange(0.1, 10);
        AssertPng(result.Picture);
    }

    [Fact]
    public void OnRosenbrockGradientDescentCrawlsAlongTheValleyWhileMomentumAndAdamReachTheMinimum()
    {
        RosenbrockResult result = RosenbrockExperiment.Run(_folder, TextWriter.Null);

        result.Runs.Select(r => r.Name.Split(' ')[0]).Should().Equal("GradientDescent", "Momentum", "AdaGrad", "RmsProp", "Adam");
        result.Runs.Should().OnlyContain(r => r.Path.Length == RosenbrockExperiment.Steps + 1 && r.Path[0].Equals(RosenbrockExperiment.Start));
        RosenbrockRun gd = result.Runs[0], momentum = result.Runs[1], adam = result.Runs[4];

        // Small steps follow the gradient flow: a fast fall into the valley y = x², then the slow flow along its floor.
        double time = RosenbrockExperiment.Steps * RosenbrockExperiment.SmallStep;
        gd.Path[^1].X.Should().BeApproximately(ValleyFlowX(time), 0.02);
        gd.Distance.Should().BeGreaterThan(1, "in this time the flow has not yet passed the valley's bottom at x = 0");

        // Along the floor's small curvature momentum's heavy ball is overdamped: it moves 1/(1 − μ) = 10 times as fast.
        momentum.Path[^1].X.Should().BeApproximately(ValleyFlowX(time / (1 - RosenbrockExperiment.MomentumCoefficient)), 0.02);
        momentum.Distance.Should().BeLessThan(0.05);

        // Adam's step is about η per coordinate whatever the curvature: 3000 steps of 0.02 cover the ~4 units of valley many times.
        adam.Distance.Should().BeLessThan(0.01);
        AssertPng(result.Picture);
    }

    /// <summary>
    /// Where the gradient flow of Rosenbrock's function from the experiment's start is at time t: first it falls
    /// along the Hessian's steep eigenvector onto the floor y = x²; there ∇f = (−2(1 − x), 0), whose component along
    /// the floor's tangent (1, 2x) gives dx/dt = 2(1 − x)/(1 + 4x²). With u = 1 − x that integrates to
    /// t = G(u₀) − G(u), G(u) = 2.5 ln u − 4u + u², increasing in u.
    /// </summary>
    private static double ValleyFlowX(double t)
    {
        (double x0, double y0) = RosenbrockExperiment.Start;
        double hxx = 2 - (400 * y0) + (1200 * x0 * x0), hxy = -400 * x0, hyy = 200;
        double steep = ((hxx + hyy) / 2) + Math.Sqrt((((hxx - hyy) / 2) * ((hxx - hyy) / 2)) + (hxy * hxy));
        (double dx, double dy) = (hxy, steep - hxx);
        // y0 + s·dy = (x0 + s·dx)²: the root nearest the start.
        double a = dx * dx, b = (2 * x0 * dx) - dy, c = (x0 * x0) - y0;
        double root = Math.Sqrt((b * b) - (4 * a * c));
        double s1 = (-b - root) / (2 * a), s2 = (-b + root) / (2 * a);
        double s = Math.Abs(s1) < Math.Abs(s2) ? s1 : s2;
        double u0 = 1 - (x0 + (s * dx));

        static double G(double u) => (2.5 * Math.Log(u)) - (4 * u) + (u * u);
        double target = G(u0) - t, lo = 1e-12, hi = u0;
        for (int i = 0; i < 200; i++)
        {
            double mid = (lo + hi) / 2;
            (lo, hi) = G(mid) < target ? (mid, hi) : (lo, mid);
        }

        return 1 - ((lo + hi) / 2);
    }

    /// <summary>The mean squared error of the best non-decreasing fit to <paramref name="ys"/> (pool adjacent violators).</summary>
    private static double IsotonicError(double[] ys)
    {
        var blocks = new List<(double Sum, int Count)>();
        foreach (double y in ys)
        {
            blocks.Add((y, 1));
            while (blocks.Count > 1 && blocks[^2].Sum / blocks[^2].Count > blocks[^1].Sum / blocks[^1].Count)
            {
                blocks[^2] = (blocks[^2].Sum + blocks[^1].Sum, blocks[^2].Count + blocks[^1].Count);
                blocks.RemoveAt(blocks.Count - 1);
            }
        }

        double[] fit = [.. blocks.SelectMany(block => Enumerable.Repeat(block.Sum / block.Count, block.Count))];
        return ys.Zip(fit).Sum(p => (p.First - p.Second) * (p.First - p.Second)) / ys.Length;
    }

    private static void AssertPng(string path)
    {
        File.Exists(path).Should().BeTrue(path);
        byte[] bytes = File.ReadAllBytes(path);
        bytes.Length.Should().BeGreaterThan(10_000, "a chart with axes, text and data is not a few bytes");
        bytes.Take(8).Should().Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, "the PNG signature");
        // The IHDR chunk comes first: its width and height, big-endian, at bytes 16 and 20.
        System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)).Should().Be(Charts.Width);
        System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)).Should().Be(Charts.Height);
    }
}
