namespace NeuralNet.Optimizers.Schedules;

/// <summary>Positions in a sorted list of milestones.</summary>
internal static class Milestone
{
    /// <summary>How many of the sorted <paramref name="milestones"/> are ≤ <paramref name="position"/> (Python's
    /// <c>bisect_right</c>).</summary>
    public static int CountAtOrBelow(int[] milestones, int position)
    {
        int low = 0;
        int high = milestones.Length;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (milestones[middle] <= position)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
