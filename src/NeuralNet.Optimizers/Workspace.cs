namespace NeuralNet.Optimizers;

/// <summary>
/// One scratch buffer per dtype, grown to the largest parameter seen, so a steady-state step allocates nothing.
/// </summary>
internal sealed class Workspace
{
    private float[] _single = [];
    private double[] _double = [];

    /// <summary>A scratch span of <paramref name="length"/> elements; its contents are unspecified.</summary>
    public Span<T> Get<T>(int length)
    {
        if (typeof(T) == typeof(float))
        {
            if (_single.Length < length)
            {
                _single = new float[length];
            }

            return ((T[])(object)_single).AsSpan(0, length);
        }

        if (typeof(T) == typeof(double))
        {
            if (_double.Length < length)
            {
                _double = new double[length];
            }

            return ((T[])(object)_double).AsSpan(0, length);
        }

        throw new NotSupportedException($"Workspace: element type {typeof(T).Name} is not supported.");
    }
}
