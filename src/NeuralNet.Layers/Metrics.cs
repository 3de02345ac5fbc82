namespace NeuralNet.Layers;

/// <summary>
/// Classification metrics of class scores against integer labels: plain numbers, not differentiable (the 0-1 loss has
/// zero gradient almost everywhere, which is why training minimises a surrogate such as cross-entropy or the hinge).
/// </summary>
/// <remarks>
/// The predicted class of a row is its arg-max (the first on ties, as <see cref="Tensor.ArgMax"/>); scores with one
/// column are read as a binary logit, class 1 where it is positive, as <c>Trainer</c> reports accuracy.
/// </remarks>
public static class Metrics
{
    /// <summary>The fraction of rows whose predicted class is their label.</summary>
    /// <param name="scores">Class scores (logits or probabilities), shape [n, classes] with n ≥ 1.</param>
    /// <param name="labels">One class index per row, each in 0..classes−1 (0 or 1 for one column).</param>
    /// <returns>A number in [0, 1]; <c>1 − <see cref="ZeroOneLoss"/></c>.</returns>
    /// <exception cref="ArgumentException">The scores are not [n, classes] with n the number of labels, or n is 0.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A label is out of range.</exception>
    public static double Accuracy(Tensor scores, int[] labels) =>
        (double)Correct(nameof(Accuracy), scores, labels) / labels.Length;

    /// <summary>The 0-1 loss: the fraction (or number) of rows whose predicted class is not their label.</summary>
    /// <param name="scores">Class scores (logits or probabilities), shape [n, classes] with n ≥ 1.</param>
    /// <param name="labels">One class index per row, each in 0..classes−1 (0 or 1 for one column).</param>
    /// <param name="reduction">Mean for the fraction misclassified (scikit-learn's <c>zero_one_loss</c>), Sum for their
    /// number (<c>normalize=False</c>). None is refused: the result is one number.</param>
    /// <returns>ℓ = (1/n)·Σᵢ [argmax xᵢ ≠ yᵢ] for Mean, the count for Sum.</returns>
    /// <exception cref="ArgumentException">The scores are not [n, classes] with n the number of labels, or n is 0.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A label is out of range, or <paramref name="reduction"/> is None or undefined.</exception>
    public static double ZeroOneLoss(Tensor scores, int[] labels, Reduction reduction = Reduction.Mean)
    {
        const string metric = nameof(ZeroOneLoss);
        if (reduction is not (Reduction.Mean or Reduction.Sum))
        {
            throw new ArgumentOutOfRangeException(
                nameof(reduction), $"{metric}: reduction {reduction} is not supported; the 0-1 loss is one number (Mean or Sum).");
        }

        int correct = Correct(metric, scores, labels);
        int wrong = labels.Length - correct;
        return reduction == Reduction.Mean ? (double)wrong / labels.Length : wrong;
    }

    /// <summary>How many rows are classified as their label, after checking the arguments.</summary>
    private static int Correct(string metric, Tensor scores, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        if (scores.Rank != 2 || scores.Shape[0] != labels.Length || labels.Length == 0 || scores.Shape[1] == 0)
        {
            throw new ArgumentException(
                $"{metric}: scores {scores.Shape} must be [n, classes] with n = {labels.Length}, the number of labels, and n, classes ≥ 1.",
                nameof(scores));
        }

        int classes = scores.Shape[1];
        int range = classes == 1 ? 2 : classes;
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] < 0 || labels[i] >= range)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(labels), $"{metric}: label {labels[i]} (at position {i}) is out of range 0..{range - 1} for scores {scores.Shape}.");
            }
        }

        int[] predicted = classes == 1 ? [.. scores.ToArray<double>().Select(x => x > 0 ? 1 : 0)] : scores.ArgMax(1);
        int correct = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            correct += predicted[i] == labels[i] ? 1 : 0;
        }

        return correct;
    }
}
