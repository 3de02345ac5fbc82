namespace NeuralNet.Tests.OpTable;

using NeuralNet;

/// <summary>Draws input <c>index</c> of an op, of the given shape, from the op's domain.</summary>
public delegate Tensor Sampler(int index, Shape shape, int seed);

/// <summary>
/// One sample of an op: its input shapes and, for variants of the row's function (a scalar operand, axes, a
/// target shape), the function to use instead; a variant with a wider domain than the row's may bring its own.
/// </summary>
public sealed record OpCase(string Label, Shape[] Shapes, Func<Tensor[], Tensor>? Function = null, Sampler? Domain = null);

/// <summary>
/// One row of the op table (PyTorch's OpInfo, JAX's grad_test_spec): an op, the public methods it covers,
/// its arity, its function of the inputs, where its inputs are drawn from, the shapes to check it at, and the
/// highest derivative order its rules support (2: its VJP is itself differentiable; 1 for ops with kinks).
/// </summary>
public sealed record OpSpec(
    string Name, string[] Covers, int Arity, Func<Tensor[], Tensor> Function, Sampler Domain, OpCase[] Cases, int Order = 2)
{
    /// <summary>The function a case runs: its own variant, or the row's.</summary>
    public Func<Tensor[], Tensor> FunctionOf(OpCase sample) => sample.Function ?? Function;

    /// <summary>Float64 inputs for a case, each from the case's or else the row's domain, with its own seed.</summary>
    public Tensor[] Inputs(OpCase sample, int seed) =>
        [.. sample.Shapes.Select((shape, i) => (sample.Domain ?? Domain)(i, shape, seed + 7919 * i))];

    /// <summary>The case with this label.</summary>
    public OpCase Case(string label) => Cases.Single(c => c.Label == label);
}

/// <summary>Domain samplers in Float64: JAX's rand_default, rand_positive and rand_nonzero.</summary>
public static class Domains
{
    /// <summary>Standard normal values: for ops defined everywhere.</summary>
    public static readonly Sampler Real = (_, shape, seed) => Tensor.RandomNormal(shape, seed, dtype: DType.Float64);

    /// <summary>Values in [0.5, 2]: for Log, Sqrt and fractional powers, away from their singularity at 0.</summary>
    public static readonly Sampler Positive = (_, shape, seed) => Tensor.RandomUniform(shape, seed, 0.5, 2.0, DType.Float64);

    /// <summary>Values uniform in [<paramref name="low"/>, <paramref name="high"/>].</summary>
    public static Sampler Uniform(double low, double high) => (_, shape, seed) => Tensor.RandomUniform(shape, seed, low, high, DType.Float64);

    /// <summary>Values with |x| in [0.5, 2] and a random sign: for denominators.</summary>
    public static readonly Sampler NonZero = (_, shape, seed) =>
    {
        double[] magnitude = Tensor.RandomUniform(shape, seed, 0.5, 2.0, DType.Float64).ToArray<double>();
        double[] sign = Tensor.RandomUniform(shape, seed + 1, -1.0, 1.0, DType.Float64).ToArray<double>();
        // FromArray with an empty shape means 1-D, so reshape to keep a scalar a scalar.
        return Tensor.FromArray([.. magnitude.Select((m, k) => sign[k] < 0 ? -m : m)]).Reshape(shape);
    };
}
