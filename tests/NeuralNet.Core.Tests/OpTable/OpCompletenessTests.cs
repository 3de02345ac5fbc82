namespace NeuralNet.Tests.OpTable;

using System.Reflection;
using NeuralNet;

/// <summary>Adding a public op without a row in <see cref="OpCatalog"/> is a bug (DESIGN.md): this finds it.</summary>
public class OpCompletenessTests
{
    // Public methods that take or act on a tensor and return one, but are not differentiable ops on its values.
    private static readonly string[] NotOps =
    [
        "Detach",    // stop_gradient: its derivative is zero by definition.
        "ZerosLike", // creation: reads only the argument's shape and dtype, never its values.
        "OnesLike",
        "FullLike",
    ];

    [Fact]
    public void EveryPublicOpHasARow()
    {
        string[] covered = [.. OpCatalog.All.SelectMany(r => r.Covers), .. NotOps];
        Uncovered(typeof(Tensor), covered).Should().BeEmpty("every public op needs an OpSpec row in OpCatalog");
    }

    [Fact]
    public void EveryCoveredNameIsAPublicOp()
    {
        // Keeps rows and exclusions from going stale when an op is renamed or removed.
        string[] surface = [.. OpSurface(typeof(Tensor))];
        OpCatalog.All.SelectMany(r => r.Covers).Concat(NotOps).Should().OnlyContain(name => surface.Contains(name));
    }

    [Fact]
    public void AnOpWithoutARowIsReported()
    {
        Uncovered(typeof(SurfaceWithANewOp), ["Exp"]).Should().Equal("Blend", "Frobnicate", "Join");
    }

    private static IEnumerable<string> Uncovered(Type type, string[] covered) =>
        OpSurface(type).Where(name => !covered.Contains(name)).Order(StringComparer.Ordinal);

    // Public methods, operators included, that return a Tensor and are instance methods or take a Tensor (alone or
    // in a collection, as Concatenate does).
    private static IEnumerable<string> OpSurface(Type type) =>
        type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => m.ReturnType == typeof(Tensor))
            .Where(m => !m.IsStatic || m.GetParameters().Any(p => TakesTensors(p.ParameterType)))
            .Select(m => m.Name)
            .Distinct();

    private static bool TakesTensors(Type type) => type == typeof(Tensor) || typeof(IEnumerable<Tensor>).IsAssignableFrom(type);

    // Stands in for Tensor after someone adds ops (an instance, a static and a variadic one) without rows.
    private sealed class SurfaceWithANewOp
    {
        public static Tensor Blend(Tensor a, Tensor b) => a + b;

        public static Tensor Join(IReadOnlyList<Tensor> parts) => parts[0];

        public Tensor Exp() => Tensor.Scalar(1);

        public Tensor Frobnicate() => Tensor.Scalar(2);

        public static Tensor Created(int n) => Tensor.Scalar(n);
    }
}
