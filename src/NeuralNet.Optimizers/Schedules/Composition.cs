namespace NeuralNet.Optimizers.Schedules;

/// <summary>Checks the parts of a composed schedule.</summary>
internal static class Composition
{
    /// <summary>The parts, non-empty, none null, all bound to <paramref name="optimizer"/>.</summary>
    public static LearningRateSchedule[] Parts(string composition, Optimizer optimizer, IEnumerable<LearningRateSchedule> schedules)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(schedules);
        LearningRateSchedule[] parts = [.. schedules];
        if (parts.Length == 0)
        {
            throw new ArgumentException($"{composition}: no schedules to compose.", nameof(schedules));
        }

        for (int i = 0; i < parts.Length; i++)
        {
            if (parts[i] is null)
            {
                throw new ArgumentException($"{composition}: schedule {i} is null.", nameof(schedules));
            }

            if (!ReferenceEquals(parts[i].Optimizer, optimizer))
            {
                throw new ArgumentException(
                    $"{composition}: schedule {i} ({parts[i].GetType().Name}) is bound to another optimizer.", nameof(schedules));
            }
        }

        return parts;
    }
}
