namespace NeuralNet.Layers.Tests;

using NeuralNet;

internal static class TestHelpers
{
    /// <summary>Float64 values in a tensor of the given shape.</summary>
    public static Tensor F64(double[] values, params int[] shape) => Tensor.FromArray(values, shape);

    /// <summary>
    /// Asserts element-wise agreement within <paramref name="tolerance"/> (absolute), and that the shape is
    /// <paramref name="shape"/>, or, when it is omitted, one-dimensional with <paramref name="expected"/>'s length.
    /// </summary>
    public static void ShouldEqual(this Tensor actual, double[] expected, double tolerance = 1e-12, Shape? shape = null)
    {
        actual.Shape.Should().Be(shape ?? new Shape(expected.Length), "the shape is part of the expected value");
        double[] values = actual.ToArray<double>();
        for (int i = 0; i < expected.Length; i++)
        {
            values[i].Should().BeApproximately(expected[i], tolerance, $"element {i} of {actual.Shape}");
        }
    }
}
