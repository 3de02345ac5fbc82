namespace NeuralNet.Optimizers.Schedules;

/// <summary>The half-cosine annealing the cosine schedules share.</summary>
internal static class Cosine
{
    /// <summary>η_min + (η_base − η_min)(1 + cos(π t / T)) / 2: η_base at t = 0, η_min at t = T.</summary>
    public static double Anneal(double baseRate, double etaMin, double t, double period) =>
        etaMin + ((baseRate - etaMin) * (1 + Math.Cos(Math.PI * t / period)) / 2);
}
