namespace ExperimentsSample;

/// <summary>Seeded standard normal samples (Box–Muller), so every experiment's data are the same on every run.</summary>
public sealed class Gaussian(int seed)
{
    private readonly Random _random = new(seed);

    /// <summary>The next N(0, 1) sample.</summary>
    public double Next()
    {
        // 1 − U lies in (0, 1], so the logarithm is finite.
        double u = 1.0 - _random.NextDouble();
        double v = _random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2.0 * Math.PI * v);
    }
}
