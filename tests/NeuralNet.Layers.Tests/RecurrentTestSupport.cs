namespace NeuralNet.Layers.Tests;

using NeuralNet;
using NeuralNet.Layers;

/// <summary>Shared set-up of the recurrent layers' tests: hand-set weights, random Float64 points, and the check that
/// forward mode and reverse mode agree on one direction.</summary>
internal static class RecurrentTestSupport
{
    /// <summary>Assigns the four parameters (shapes [G·H, I], [G·H, H], [G·H], [G·H]).</summary>
    public static T With<T>(this T layer, double[] weightIh, double[] weightHh, double[] biasIh, double[] biasHh)
        where T : RecurrentLayer
    {
        layer.WeightIh.Assign(Tensor.FromArray(weightIh, layer.WeightIh.Shape.ToArray()));
        layer.WeightHh.Assign(Tensor.FromArray(weightHh, layer.WeightHh.Shape.ToArray()));
        layer.BiasIh!.Assign(Tensor.FromArray(biasIh, layer.BiasIh.Shape.ToArray()));
        layer.BiasHh!.Assign(Tensor.FromArray(biasHh, layer.BiasHh.Shape.ToArray()));
        return layer;
    }

    /// <summary>A Float64 tensor of N(0, 1) values.</summary>
    public static Tensor Normal(int seed, params int[] shape) => Tensor.RandomNormal(new Shape(shape), seed, dtype: DType.Float64);

    /// <summary>
    /// ⟨u, J·v⟩ from forward mode (one <see cref="Autodiff.Jvp(Func{Tensor[], Tensor}, Tensor[], Tensor[])"/>) equals
    /// Σᵢ ⟨Jᵢᵀ·u, vᵢ⟩ from reverse mode (one pullback), for a random direction v on every input at once.
    /// </summary>
    public static void ForwardModeAgreesWithReverseMode(Func<Tensor[], Tensor> f, Tensor[] inputs, int seed)
    {
        Tensor[] directions = [.. inputs.Select((x, i) => Normal(seed + i, x.Shape.ToArray()))];
        (Tensor value, Tensor tangent) = Autodiff.Jvp(f, inputs, directions);
        Tensor u = Normal(seed + 100, value.Shape.ToArray());
        Tensor[] cotangents = Autodiff.Vjp(f, inputs).Pullback(u);

        double forward = Dot(u, tangent);
        double reverse = cotangents.Select((g, i) => Dot(g, directions[i])).Sum();
        forward.Should().NotBe(0, "the direction must move the output for the comparison to mean anything");
        reverse.Should().BeApproximately(forward, 1e-12 * Math.Max(1, Math.Abs(forward)));
    }

    private static double Dot(Tensor a, Tensor b) => a.ToArray<double>().Zip(b.ToArray<double>(), (p, q) => p * q).Sum();
}
