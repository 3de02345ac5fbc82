namespace NeuralNet.Layers.Tests;

using NeuralNet;

internal static class TestHelpers
{
    /// <summary>Float64 values in a tensor of the given shape.</summary>
    public static Tensor F64(double[] values, params int[] shape) => Tensor.FromArray(values, shape);

    /// <summary>Asserts element-wise agreement within <paramref name="tolerance"/> (absolute), with the shape checked.</summary>
    public static void ShouldEqual(this Tensor actual, double[] expected, double tolerance = 1e-12)
    {
        double[] values = actual.ToArray<double>();
        values.Should().HaveCount(expected.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            values[i].Should().BeApproximately(expected[i], tolerance, $"element {i} of {actual.Shape}");
        }
    }
}
