namespace NeuralNet.Optimizers.Schedules;

/// <summary>Reads a schedule's saved state, with messages naming the schedule, the key and the value.</summary>
internal static class ScheduleState
{
    /// <summary>Refuses a state whose keys are not exactly <paramref name="keys"/> (a state of another kind of schedule).</summary>
    public static void RequireKeys(object schedule, IReadOnlyDictionary<string, double> state, params string[] keys)
    {
        ArgumentNullException.ThrowIfNull(state);
        string name = schedule.GetType().Name;
        foreach (string key in keys)
        {
            if (!state.ContainsKey(key))
            {
                throw new ArgumentException($"{name}: the state has no {key}.", nameof(state));
            }
        }

        foreach (string key in state.Keys)
        {
            if (Array.IndexOf(keys, key) < 0)
            {
                throw new ArgumentException($"{name}: the state has an unknown key {key}; it holds {string.Join(", ", keys)}.", nameof(state));
            }
        }
    }

    /// <summary>A whole number in [0, <see cref="int.MaxValue"/>].</summary>
    public static int Count(object schedule, IReadOnlyDictionary<string, double> state, string key)
    {
        double value = state[key];
        return value >= 0 && value <= int.MaxValue && Math.Floor(value) == value
            ? (int)value
            : throw Refuse(schedule, key, value, "must be a whole number ≥ 0");
    }

    /// <summary>A finite value ≥ 0.</summary>
    public static double NonNegative(object schedule, IReadOnlyDictionary<string, double> state, string key)
    {
        double value = state[key];
        return double.IsFinite(value) && value >= 0 ? value : throw Refuse(schedule, key, value, "must be non-negative and finite");
    }

    private static ArgumentException Refuse(object schedule, string key, double value, string rule) =>
        new($"{schedule.GetType().Name}: state {key} {Hyperparameter.Format(value)} {rule}.", "state");
}
