namespace MnistSample;

/// <summary>Picks the test images the model gets wrong, for the grid of misclassified digits.</summary>
public static class Misclassified
{
    /// <summary>The first <paramref name="count"/> indices (in test-set order) whose prediction differs from the label.</summary>
    /// <param name="labels">The true classes.</param>
    /// <param name="predictions">The predicted classes, one per label.</param>
    /// <param name="count">At most this many indices.</param>
    public static int[] Select(int[] labels, int[] predictions, int count)
    {
        if (labels.Length != predictions.Length)
        {
            throw new ArgumentException($"{predictions.Length} predictions for {labels.Length} labels.", nameof(predictions));
        }

        return [.. Enumerable.Range(0, labels.Length).Where(i => predictions[i] != labels[i]).Take(count)];
    }
}
