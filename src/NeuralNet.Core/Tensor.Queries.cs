namespace NeuralNet;

// Queries that return plain .NET values rather than tensors: nothing here is differentiable.
public partial class Tensor
{
    /// <summary>
    /// The index of the largest value along <paramref name="axis"/> (the first on ties; NaN counts as largest, as in
    /// NumPy), for every position of the other axes, in row-major order: a class prediction per row of logits.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range.</exception>
    /// <exception cref="ArgumentException">The axis is empty.</exception>
    public int[] ArgMax(int axis = -1)
    {
        int a = Shape.NormalizeAxis(axis, Rank, nameof(ArgMax));
        int n = Shape[a];
        if (n == 0)
        {
            throw new ArgumentException($"ArgMax: axis {axis} of shape {Shape} is empty.", nameof(axis));
        }

        int outer = 1, inner = 1;
        for (int i = 0; i < a; i++)
        {
            outer *= Shape[i];
        }

        for (int i = a + 1; i < Rank; i++)
        {
            inner *= Shape[i];
        }

        if (CaptureSession.Current is not null)
        {
            CaptureSession.Refuse($"ArgMax reads a tensor {Shape} on the host (take it from the step's output after Replay)");
        }

        var result = new int[outer * inner];
        if (Data is float[] f)
        {
            ArgMax<float>(f, outer, n, inner, result);
        }
        else
        {
            ArgMax<double>((double[])Data, outer, n, inner, result);
        }

        return result;
    }

    // In the tensor's own dtype: a widened copy would cost a pass and an array per call (a batch's predictions, in Fit).
    private static void ArgMax<T>(ReadOnlySpan<T> values, int outer, int n, int inner, int[] result)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        for (int o = 0; o < outer; o++)
        {
            if (inner == 1)
            {
                result[o] = TP.IndexOfMax(values.Slice(o * n, n));
                continue;
            }

            for (int j = 0; j < inner; j++)
            {
                int best = 0;
                for (int k = 1; k < n; k++)
                {
                    T candidate = values[(((o * n) + k) * inner) + j], current = values[(((o * n) + best) * inner) + j];
                    if (candidate > current || (T.IsNaN(candidate) && !T.IsNaN(current)))
                    {
                        best = k;
                    }
                }

                result[(o * inner) + j] = best;
            }
        }
    }
}
