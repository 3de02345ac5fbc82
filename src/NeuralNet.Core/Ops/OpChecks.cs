namespace NeuralNet;

/// <summary>Argument checks shared by the ops; every message names the op and the shapes or axis.</summary>
internal static class OpChecks
{
    /// <summary>
    /// Checks that the operands broadcast and returns them in their <see cref="Tensor.ResultType"/> (a cast that
    /// widens is differentiable, so gradients return in each input's own dtype).
    /// </summary>
    public static (Tensor A, Tensor B) Binary(string op, Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        Shape.Broadcast(a.Shape, b.Shape, op);
        DType dtype = Tensor.ResultType(a, b);
        return (Tensor.Promote(a, dtype), Tensor.Promote(b, dtype));
    }

    /// <summary>Operands that must already share a dtype (products, as in PyTorch, do not promote).</summary>

    public static void SameDType(string op, Tensor a, Tensor b)
    {
        if (a.DType != b.DType)
        {
            throw new ArgumentException($"{op}: dtypes {a.DType} and {b.DType} differ ({a.Shape} and {b.Shape}); convert one with To().");
        }
    }

    /// <summary>Normalizes reduction axes: null means all; negatives count from the end; duplicates are refused.</summary>
    public static int[] Axes(string op, Shape shape, int[]? axes)
    {
        if (axes is null)
        {
            return Enumerable.Range(0, shape.Rank).ToArray();
        }

        var normalized = new int[axes.Length];
        for (int i = 0; i < axes.Length; i++)
        {
            int axis = axes[i] < 0 ? axes[i] + shape.Rank : axes[i];
            if (axis < 0 || axis >= shape.Rank)
            {
                throw new ArgumentOutOfRangeException(nameof(axes), $"{op}: axis {axes[i]} is out of range for shape {shape}.");
            }

            if (Array.IndexOf(normalized, axis, 0, i) >= 0)
            {
                throw new ArgumentException($"{op}: axis {axes[i]} is repeated in [{string.Join(",", axes)}] for shape {shape}.", nameof(axes));
            }

            normalized[i] = axis;
        }

        Array.Sort(normalized);
        return normalized;
    }

    /// <summary>Logits [n, classes] with one label per row, each in 0..classes−1; <paramref name="op"/> names the caller.</summary>
    /// <exception cref="ArgumentException">The logits are not [n, classes] with n the number of labels.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside 0..classes−1.</exception>
    public static void ClassLabels(string op, Tensor logits, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        if (logits.Rank != 2 || logits.Shape[0] != labels.Length)
        {
            throw new ArgumentException(
                $"{op}: logits {logits.Shape} must be [n, classes] with n = {labels.Length}, the number of labels.", nameof(logits));
        }

        LabelRange(op, labels, logits.Shape);
    }

    /// <summary>Checks that every label is a class index of <paramref name="logits"/> [n, classes].</summary>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside 0..classes−1.</exception>
    public static void LabelRange(string op, int[] labels, Shape logits)
    {
        int classes = logits[1];
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] < 0 || labels[i] >= classes)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(labels), $"{op}: label {labels[i]} (at position {i}) is out of range for {classes} classes (0..{classes - 1}); logits {logits}.");
            }
        }
    }
}
