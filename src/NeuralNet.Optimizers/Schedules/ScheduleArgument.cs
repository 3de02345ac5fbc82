namespace NeuralNet.Optimizers.Schedules;

/// <summary>Checks schedule settings at construction, with messages naming the schedule, the parameter and the value.</summary>
internal static class ScheduleArgument
{
    /// <summary>A whole number ≥ 1 (periods, step counts).</summary>
    public static int Positive(object schedule, string name, int value) =>
        value >= 1 ? value : throw Refuse(schedule, name, value.ToString(System.Globalization.CultureInfo.InvariantCulture), "must be at least 1");

    /// <summary>A whole number ≥ 0 (patience, cooldown, milestones).</summary>
    public static int NonNegative(object schedule, string name, int value) =>
        value >= 0 ? value : throw Refuse(schedule, name, value.ToString(System.Globalization.CultureInfo.InvariantCulture), "must be non-negative");

    /// <summary>A finite value in [<paramref name="low"/>, <paramref name="high"/>], either end open as asked.</summary>
    public static double InRange(object schedule, string name, double value, double low, double high, bool lowOpen = false, bool highOpen = false)
    {
        bool above = lowOpen ? value > low : value >= low;
        bool below = highOpen ? value < high : value <= high;
        return double.IsFinite(value) && above && below
            ? value
            : throw Refuse(
                schedule, name, Hyperparameter.Format(value),
                $"must be in {(lowOpen ? "(" : "[")}{Hyperparameter.Format(low)}, {Hyperparameter.Format(high)}{(highOpen ? ")" : "]")}");
    }

    /// <summary>A finite value &gt; 0 (decay factors, divisors).</summary>
    public static double Positive(object schedule, string name, double value) => Hyperparameter.Positive(schedule, name, value);

    /// <summary>A finite value ≥ 0 (minimum rates, thresholds).</summary>
    public static double NonNegative(object schedule, string name, double value) => Hyperparameter.NonNegative(schedule, name, value);

    /// <summary>The refusal, in the optimizers' wording.</summary>
    public static ArgumentOutOfRangeException Refuse(object schedule, string name, string value, string rule) =>
        new(name, $"{schedule.GetType().Name}: {name} {value} {rule}.");
}
