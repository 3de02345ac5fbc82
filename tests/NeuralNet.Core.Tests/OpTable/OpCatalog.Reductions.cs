namespace NeuralNet.Tests.OpTable;

using NeuralNet;

public static partial class OpCatalog
{
    /// <summary>Reductions over axes.</summary>
    private static OpSpec[] Reductions() =>
    [
        Reduction("Sum", (x, axes, keep) => x.Sum(axes, keep), (x, axis, keep) => x.Sum(axis, keep)),
        Reduction("Mean", (x, axes, keep) => x.Mean(axes, keep), (x, axis, keep) => x.Mean(axis, keep)),
    ];
}
